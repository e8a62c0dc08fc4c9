using System.Net;
using System.Net.Sockets;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>Loopback plumbing for TCP tests: servers on port 0, raw peers, every wait bounded.</summary>
internal static class Loopback
{
    /// <summary>The longest any single wait in these tests may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static SocketServer StartServer(IConnectionHandler handler, SocketServerOptions? options = null)
    {
        var server = new SocketServer((options ?? new SocketServerOptions()) with { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, handler);
        server.Start();
        return server;
    }

    /// <summary>The port a TCP server bound (port 0 asked).</summary>
    public static int Port(this SocketServer server) => ((IPEndPoint)server.LocalEndPoint).Port;

    /// <summary>A plain socket client, the peer's side of the test.</summary>
    /// <param name="server">The server to connect to.</param>
    /// <param name="receiveBufferSize">SO_RCVBUF set before connecting (so the window stays small), or null for the default.</param>
    public static async Task<Socket> ConnectAsync(SocketServer server, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server.LocalEndPoint, cts.Token);
        return socket;
    }

    public static async Task SendAsync(this Socket socket, byte[] data)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await socket.SendAsync(data, SocketFlags.None, cts.Token);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or fails on EOF or timeout.</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(this Socket socket, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(Timeout);
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            Assert.True(n > 0, $"EOF after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    /// <summary>Reads until the peer closes (recv returns 0), bounded in time.</summary>
    public static async Task<byte[]> ReceiveToEndAsync(this Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    /// <summary>
    /// Connects and reports whether the server answered with RST (ECONNRESET), during connect or on the first
    /// read, rather than serving the client or closing it with a clean FIN.
    /// </summary>
    public static async Task<bool> IsResetAtOnceAsync(SocketServer server)
    {
        try
        {
            using var socket = await ConnectAsync(server);
            using var cts = new CancellationTokenSource(Timeout);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>True when the peer closed (EOF or reset) within the timeout.</summary>
    public static async Task<bool> WasClosedByPeerAsync(this Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>
    /// Waits until <paramref name="connection"/> takes no more bytes: its received count unchanged over
    /// <paramref name="polls"/> polls 100 ms apart. Fails after <see cref="Timeout"/>; <paramref name="check"/> runs at
    /// every poll (to fail early). Returns the count it stopped at.
    /// </summary>
    public static async Task<long> WaitUntilReceivingStopsAsync(Connection connection, int polls, Action? check = null)
    {
        long last = -1;
        var stable = 0;
        var deadline = DateTime.UtcNow + Timeout;
        while (stable < polls)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server kept taking bytes from a client that does not read");
            check?.Invoke();
            await Task.Delay(100);
            var now = connection.BytesReceived;
            stable = now == last ? stable + 1 : 0;
            last = now;
        }

        return last;
    }

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Timeout);
}
