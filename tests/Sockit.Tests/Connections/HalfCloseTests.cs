using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class HalfCloseTests
{
    [Fact]
    public async Task PeerFinEndsInputButTheServerCanStillAnswer()
    {
        // The server reads to EOF (recv returns 0) and only then answers: the reply must still get through.
        var handler = new DelegateHandler(async (connection, _) =>
        {
            var total = 0L;
            while (true)
            {
                var result = await connection.Input.ReadAsync();
                total += result.Buffer.Length;
                connection.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await connection.Output.WriteAsync(Encoding.ASCII.GetBytes($"got {total} bytes"));
        });
        await using var server = Loopback.StartServer(handler);
        using var client = await Loopback.ConnectAsync(server);

        await client.SendAsync(new byte[10_000]);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("got 10000 bytes", Encoding.ASCII.GetString(await client.ReceiveToEndAsync()));
    }

    [Fact]
    public async Task ServerHalfClosesItsSideAndStillReadsWhatTheClientSends()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (connection, _) =>
        {
            await connection.Output.WriteAsync("bye"u8.ToArray());
            await connection.Output.CompleteAsync(); // FIN: no more from us
            var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder());
            Assert.True(await reader.ReadFrameAsync());
            received.SetResult(Encoding.ASCII.GetString(reader.Current.ToArray()));
        });
        await using var server = Loopback.StartServer(handler);
        using var client = await Loopback.ConnectAsync(server);

        Assert.Equal("bye", Encoding.ASCII.GetString(await client.ReceiveToEndAsync())); // EOF seen: server half-closed
        await client.SendAsync("after your FIN\n"u8.ToArray());

        Assert.Equal("after your FIN", await received.Task.WithTimeout());
    }

    [Fact]
    public async Task ClientHalfClosesAndReadsTheServersLastWords()
    {
        await using var server = Loopback.StartServer(new EchoService(FrameSpec.Line));
        await using var connection = await SocketConnector.ConnectAsync("127.0.0.1", server.Port()).WithTimeout();
        var writer = new FrameWriter(connection.Output, FrameSpec.Line.CreateEncoder());
        for (var i = 0; i < 100; i++)
        {
            writer.Write(Encoding.ASCII.GetBytes($"line {i}"));
        }

        await writer.CompleteAsync(); // flush, then FIN

        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder());
        var lines = new List<string>();
        while (await reader.ReadFrameAsync().AsTask().WithTimeout())
        {
            lines.Add(Encoding.ASCII.GetString(reader.Current.ToArray()));
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"line {i}"), lines);
        await connection.CloseAsync();
        Assert.Equal(CloseReasonKind.PeerClosed, connection.CloseReason?.Kind);
    }

    [Fact]
    public async Task ResetByPeerIsACloseReasonNotAnUnhandledException()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = Loopback.StartServer(recording);
        var client = await Loopback.ConnectAsync(server);
        await client.SendAsync("partial line without end"u8.ToArray());
        var connection = await recording.First.WithTimeout();
        await LimitsTests.WaitUntilAsync(() => connection.BytesReceived > 0);

        client.LingerState = new LingerOption(true, 0); // close with RST
        client.Close();

        await connection.Closed.WithTimeout();
        Assert.Contains(connection.CloseReason!.Kind, new[] { CloseReasonKind.Reset, CloseReasonKind.BadFrame });
    }

    [Fact]
    public async Task SendingToAVanishedPeerEndsTheOutputInsteadOfThrowingIntoTheHandler()
    {
        var flushes = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (connection, _) =>
        {
            await clientGone.Task;
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 2000; i++)
            {
                FlushResult result;
                try
                {
                    result = await connection.Output.WriteAsync(chunk);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException)
                {
                    flushes.TrySetResult(true);
                    return;
                }

                if (result.IsCompleted)
                {
                    flushes.TrySetResult(true); // the send loop saw the broken pipe and stopped reading
                    return;
                }
            }

            flushes.TrySetResult(false);
        });
        var recording = new RecordingHandler(handler);
        await using var server = Loopback.StartServer(recording);
        var client = await Loopback.ConnectAsync(server);
        await recording.First.WithTimeout();
        client.LingerState = new LingerOption(true, 0);
        client.Close();
        clientGone.SetResult();

        Assert.True(await flushes.Task.WithTimeout(), "2000 × 64 KiB were written to a peer that is gone");
        var connection = await recording.First;
        await connection.Closed.WithTimeout();
        Assert.Equal(CloseReasonKind.Reset, connection.CloseReason?.Kind);
    }
}
