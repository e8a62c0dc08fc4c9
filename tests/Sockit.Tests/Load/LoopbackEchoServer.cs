using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Tests.Load;

/// <summary>
/// An echo server on 127.0.0.1, port 0, for the load generator's tests. Plain, it returns bytes as they come.
/// Broken, it reads 4-byte big-endian length frames and spoils the frame with index <see cref="Fault.At"/>
/// (counted from 0 on each connection): flips a payload byte, drops it, swaps it with the next one, or closes.
/// </summary>
public sealed class LoopbackEchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Fault? _fault;
    private readonly List<Task> _clients = [];
    private readonly Task _accept;

    public LoopbackEchoServer(Fault? fault = null)
    {
        _fault = fault;
        _listener.Start();
        _accept = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        await Task.WhenAll(clients.Append(_accept)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(_fault is null ? EchoAsync(client) : EchoFramesAsync(client, _fault));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task EchoAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[64 << 10];
        try
        {
            int n;
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
        }
    }

    private async Task EchoFramesAsync(Socket client, Fault fault)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        byte[]? held = null;
        try
        {
            for (var index = 0; ; index++)
            {
                var header = new byte[4];
                if (await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, _stop.Token) < 4)
                {
                    return;
                }

                var frame = new byte[4 + BinaryPrimitives.ReadInt32BigEndian(header)];
                header.CopyTo(frame, 0);
                await stream.ReadExactlyAsync(frame.AsMemory(4), _stop.Token);
                if (index == fault.At)
                {
                    switch (fault.Kind)
                    {
                        case FaultKind.Corrupt:
                            frame[^1] ^= 0x20;
                            break;
                        case FaultKind.Drop:
                            continue;
                        case FaultKind.Swap:
                            held = frame;
                            continue;
                        case FaultKind.Close:
                            return;
                    }
                }

                await stream.WriteAsync(frame, _stop.Token);
                if (held is not null)
                {
                    await stream.WriteAsync(held, _stop.Token);
                    held = null;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
        {
        }
    }

    /// <summary>How a broken server spoils one frame.</summary>
    public enum FaultKind
    {
        Corrupt,
        Drop,
        Swap,
        Close,
    }

    /// <summary>Which frame a broken server spoils, and how.</summary>
    public sealed record Fault(FaultKind Kind, int At);
}
