using System.Net;
using System.Net.Sockets;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>
/// After FIN a connection waits until the peer has taken what it sent, so a peer that closes without reading it
/// is heard (its reset) instead of the data being lost silently.
/// </summary>
public sealed class DeliveryTests
{
    private const int Sent = 64 << 10;

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task APeerThatClosesWithoutReadingWhatWasHandedToTheKernelIsAReset(string transport)
    {
        await using var peer = await PeerAsync(transport);
        await using var connection = peer.Connection;

        // Everything fits in our kernel's send buffer, but not in what the peer is willing to hold: the send loop
        // hands it all over at once, and then sends FIN.
        await connection.Output.WriteAsync(new byte[Sent]);
        await connection.Output.CompleteAsync();
        await Eventually(() => connection.BytesSent == Sent);

        // The peer says goodbye (FIN), then closes with our data unread: its kernel resets.
        peer.Socket.Shutdown(SocketShutdown.Send);
        peer.Socket.Dispose();

        await connection.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.Reset, connection.CloseReason?.Kind);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task APeerThatTakesNothingMoreAfterOurFinEndsTheConnectionWithAnErrorSayingSo(string transport)
    {
        await using var peer = await PeerAsync(transport, new ConnectionOptions { AcknowledgementTimeout = TimeSpan.FromMilliseconds(200) });
        await using var connection = peer.Connection;

        await connection.Output.WriteAsync(new byte[Sent]);
        await connection.Output.CompleteAsync();
        peer.Socket.Shutdown(SocketShutdown.Send); // and it stays open, reading nothing

        await connection.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.Error, connection.CloseReason?.Kind);
        Assert.Contains("may not have arrived", connection.CloseReason?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task APeerThatReadsEverythingAndClosesIsACleanClose(string transport)
    {
        await using var peer = await PeerAsync(transport);
        await using var connection = peer.Connection;

        await connection.Output.WriteAsync(new byte[Sent]);
        await connection.Output.CompleteAsync();
        Assert.Equal(Sent, (await peer.Socket.ReceiveToEndAsync().WithTimeout()).Length);
        peer.Socket.Shutdown(SocketShutdown.Send);

        await connection.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.PeerClosed, connection.CloseReason?.Kind);
    }

    [Fact]
    public async Task AnAbortCountsWhatTheKernelHadNotGotAcknowledgedAsDropped()
    {
        await using var peer = await PeerAsync("tcp");
        await using var connection = peer.Connection;
        await connection.Output.WriteAsync(new byte[Sent]);
        await Eventually(() => connection.BytesSent == Sent); // all of it in our kernel; the peer reads nothing

        connection.Abort(CloseReasonKind.LocalClosed, "test");
        await connection.Closed.WithTimeout();

        // The RST discarded what the peer had not acknowledged: sent to the kernel is not delivered.
        Assert.InRange(connection.BytesDropped, 1, Sent);
    }

    private static async Task<Peer> PeerAsync(string transport, ConnectionOptions? options = null)
    {
        var dir = transport == "unix" ? new UnixDir() : null;
        using var listener = dir is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        if (dir is null)
        {
            listener.ReceiveBufferSize = 4096; // inherited by the accepted socket: a window far smaller than what we send
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }
        else
        {
            listener.Bind(new UnixDomainSocketEndPoint(dir.PathOf()));
        }

        listener.Listen();
        var accepting = listener.AcceptAsync();
        var target = dir is null
            ? ConnectionEndpoint.Parse($"127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}")
            : ConnectionEndpoint.Unix(dir.PathOf());
        var connection = await SocketConnector.ConnectAsync(target, Loopback.Timeout, options).WithTimeout();
        return new Peer(connection, await accepting.WithTimeout(), dir);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Loopback.Timeout);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private sealed record Peer(Connection Connection, Socket Socket, UnixDir? Dir) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Socket.Dispose();
            Dir?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
