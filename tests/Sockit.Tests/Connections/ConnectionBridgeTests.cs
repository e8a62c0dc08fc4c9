using System.IO.Pipelines;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary>What <c>sockit connect</c> reports when its connection fails rather than ends.</summary>
public sealed class ConnectionBridgeTests
{
    [Fact]
    public async Task AConnectionAbortedWithAnErrorFailsTheRunEvenThoughItsInputEndedQuietly()
    {
        // An abort ends Input without an error (reads "simply end"), which read as the server's clean close: a TLS
        // write failure that aborted the connection let `connect` exit 0 with the echo cut short.
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line));
        var connection = await SocketConnector.ConnectAsync("127.0.0.1", server.Port()).WithTimeout();
        var stdin = new Pipe(); // stays open, as a terminal does
        using var stdout = new MemoryStream();
        using var printer = new FramePrinter(stdout, FrameSpec.Line);
        var bridge = new ConnectionBridge(connection, FrameSpec.Line);

        var run = bridge.RunAsync(stdin.Reader.AsStream(), printer, Timeout.InfiniteTimeSpan);
        await stdin.Writer.WriteAsync("first\n"u8.ToArray());
        await LimitsTests.WaitUntilAsync(() => connection.BytesReceived >= 6);
        connection.Abort(CloseReasonKind.Error, "TLS: Operation failed with error - 5.");

        var error = await Assert.ThrowsAsync<IOException>(() => run.WithTimeout());
        Assert.Contains("Operation failed", error.Message, StringComparison.Ordinal);
    }
}
