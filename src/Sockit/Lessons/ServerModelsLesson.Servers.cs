using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Lessons;

public static partial class ServerModelsLesson
{
    private const int SolSocket = 1; // Linux socket(7)
    private const int SoReusePort = 15;

    /// <summary>
    /// The loop of one pre-forked worker: binds 127.0.0.1:<paramref name="port"/> with SO_REUSEPORT (the kernel
    /// spreads new connections over every socket listening there), writes <c>ready</c> to
    /// <paramref name="ready"/>, then serves one client at a time until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task RunWorkerAsync(int port, TimeSpan delay, TextWriter ready, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ready);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        ReusePort(listener);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(64);
        await ready.WriteLineAsync("ready").ConfigureAwait(false);
        await ready.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var closeOnCancel = cancellationToken.Register(listener.Close);
        await IterativeServer(listener, delay, new ConcurrencyGauge(), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static void ReusePort(Socket socket) => socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));

    /// <summary>The course's loop server: accept, serve that client until it leaves, then the next.</summary>
    private static Task IterativeServer(Socket listener, TimeSpan delay, ConcurrencyGauge gauge, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    using var client = listener.Accept();
                    Serve(client, delay, gauge);
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static Task ThreadPerClientServer(Socket listener, TimeSpan delay, ConcurrencyGauge gauge, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () =>
            {
                var threads = new List<Thread>();
                try
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var client = listener.Accept();
                        var thread = new Thread(() =>
                        {
                            using (client)
                            {
                                Serve(client, delay, gauge);
                            }
                        }) { IsBackground = true };
                        thread.Start();
                        threads.Add(thread);
                    }
                }
                finally
                {
                    threads.ForEach(t => t.Join(Timeout));
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static async Task AsyncServer(Socket listener, TimeSpan delay, ConcurrencyGauge gauge, CancellationToken cancellationToken)
    {
        var clients = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                clients.Add(ServeAsync(client, delay, gauge, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(clients).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static void Serve(Socket client, TimeSpan delay, ConcurrencyGauge gauge)
    {
        gauge.Enter();
        try
        {
            Span<byte> request = stackalloc byte[MessageSize];
            while (ReceiveExactly(client, request))
            {
                Thread.Sleep(delay); // the work: blocking, as a loop server's would be
                client.Send("pong"u8);
            }
        }
        catch (SocketException)
        {
            // The client went away: the next one.
        }
        finally
        {
            gauge.Leave();
        }
    }

    private static async Task ServeAsync(Socket client, TimeSpan delay, ConcurrencyGauge gauge, CancellationToken cancellationToken)
    {
        using (client)
        {
            gauge.Enter();
            try
            {
                var request = new byte[MessageSize];
                while (await ReceiveExactlyAsync(client, request, cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false); // the same work, awaited: no thread held
                    await client.SendAsync("pong"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                gauge.Leave();
            }
        }
    }

    private static async Task<ServerModelResult> RunPreforkAsync(IReadOnlyList<string> command, ServerModelsOptions options, CancellationToken cancellationToken)
    {
        // The port: bound here with SO_REUSEPORT but never listening, so it stays ours and gets no connections.
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        ReusePort(holder);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var workers = new List<Process>();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            for (var i = 0; i < options.Workers; i++)
            {
                var start = new ProcessStartInfo(command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var argument in command.Skip(1))
                {
                    start.ArgumentList.Add(argument);
                }

                start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add(((int)options.Delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
                var worker = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
                workers.Add(worker);
                var line = await worker.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line != "ready")
                {
                    throw new InvalidOperationException($"a prefork worker did not start ({command[0]} said: {line ?? "nothing"})");
                }
            }

            var (total, latencies) = await RunClientsAsync(new IPEndPoint(IPAddress.Loopback, port), options, cancellationToken).ConfigureAwait(false);
            return Result("prefork", total, latencies, null,
                $"{options.Workers} worker processes (one per core), each a loop server, listen on one port with SO_REUSEPORT and the kernel spreads the clients over them (by a hash of their addresses, so not always evenly): {options.Workers} clients at a time. .NET cannot fork(), so each worker is a fresh process");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.StandardInput.Close(); // a worker stops at the end of its stdin
                if (!worker.WaitForExit(5000))
                {
                    worker.Kill();
                }

                worker.Dispose();
            }
        }
    }
}
