using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Lessons;

/// <summary>
/// The course's warning that a loop server cannot serve several clients at once, measured: the same clients
/// (N at once, each M requests of 4 bytes answered after a server-side delay) against an iterative server, a
/// thread per client, pre-forked worker processes sharing the port (SO_REUSEPORT), and an async server.
/// </summary>
public static partial class ServerModelsLesson
{
    private const int MessageSize = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs every model in turn (prefork only with <see cref="ServerModelsOptions.WorkerCommand"/>).</summary>
    public static async Task<IReadOnlyList<ServerModelResult>> RunAsync(ServerModelsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var results = new List<ServerModelResult>
        {
            await RunInProcessAsync("iterative", IterativeServer, options,
                "one client at a time: the others wait in the accept queue (listen backlog), so the total is about clients × requests × delay", cancellationToken).ConfigureAwait(false),
            await RunInProcessAsync("thread-per-client", ThreadPerClientServer, options,
                "every client gets its own thread, blocked in recv or in the work; fine for dozens, but each thread costs a stack (about 1 MiB of address space) and context switches", cancellationToken).ConfigureAwait(false),
        };

        if (options.WorkerCommand is { } command)
        {
            results.Add(await RunPreforkAsync(command, options, cancellationToken).ConfigureAwait(false));
        }

        results.Add(await RunInProcessAsync("async", AsyncServer, options,
            "one pool of threads serves every client: a request that waits holds no thread (await), as sockit listen does", cancellationToken).ConfigureAwait(false));
        return results;
    }

    private static async Task<ServerModelResult> RunInProcessAsync(
        string model,
        Func<Socket, TimeSpan, ConcurrencyGauge, CancellationToken, Task> serve,
        ServerModelsOptions options,
        string why,
        CancellationToken cancellationToken)
    {
        using var listener = Lesson.LoopbackListener(options.Clients);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gauge = new ConcurrencyGauge();
        var server = serve(listener, options.Delay, gauge, stop.Token);
        try
        {
            var (total, latencies) = await RunClientsAsync((IPEndPoint)listener.LocalEndPoint!, options, cancellationToken).ConfigureAwait(false);
            return Result(model, total, latencies, gauge.Max, why);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            listener.Close(); // ends a blocking accept
            await server.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<(TimeSpan Total, List<TimeSpan> Latencies)> RunClientsAsync(IPEndPoint server, ServerModelsOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        var clients = Enumerable.Range(0, options.Clients).Select(_ => ClientAsync(server, options.Requests, timeout.Token)).ToArray();
        var latencies = (await Task.WhenAll(clients).ConfigureAwait(false)).SelectMany(l => l).ToList();
        return (Stopwatch.GetElapsedTime(started), latencies);
    }

    private static async Task<List<TimeSpan>> ClientAsync(IPEndPoint server, int requests, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var latencies = new List<TimeSpan>(requests);
        var reply = new byte[MessageSize];
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < requests; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await socket.SendAsync("ping"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (!await ReceiveExactlyAsync(socket, reply, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the server closed before answering");
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent));
        }

        socket.Shutdown(SocketShutdown.Send);
        return latencies;
    }

    private static ServerModelResult Result(string model, TimeSpan total, List<TimeSpan> latencies, int? maxConcurrent, string why)
    {
        latencies.Sort();
        var p99 = latencies[Math.Max(0, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
        return new ServerModelResult(model, total, latencies.Count / total.TotalSeconds, p99, maxConcurrent, why);
    }

    private static async Task<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = socket.Receive(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>Counts the clients being served now and remembers the most at once.</summary>
    private sealed class ConcurrencyGauge
    {
        private int _now;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _now);
            for (var max = Volatile.Read(ref _max); now > max; max = Volatile.Read(ref _max))
            {
                Interlocked.CompareExchange(ref _max, now, max);
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }
}
