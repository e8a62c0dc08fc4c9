using Sockit.Tests.Connections;
using System.Buffers;
using System.Net;
using System.Text;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Tests.Docs;

/// <summary>The library example in README.md, kept compiling and working (the README binds port 7000; this binds 0).</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeLibraryExampleShoutsTheLineBack()
    {
        await using var server = new SocketServer(
            new SocketServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) },
            new ShoutService());
        server.Start();

        await using var connection = await SocketConnector.ConnectAsync("127.0.0.1", server.Port());
        var writer = new FrameWriter(connection.Output, FrameSpec.Line.CreateEncoder());
        var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder());
        await writer.WriteAsync("hello"u8.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True(await reader.ReadFrameAsync(timeout.Token));
        Assert.Equal("HELLO", Encoding.UTF8.GetString(reader.Current));
    }

    private sealed class ShoutService : IConnectionHandler
    {
        public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
        {
            var reader = new FrameReader(connection.Input, FrameSpec.Line.CreateDecoder());
            var writer = new FrameWriter(connection.Output, FrameSpec.Line.CreateEncoder());
            while (await reader.ReadFrameAsync(stopping))
            {
                writer.Write(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(reader.Current).ToUpperInvariant()));
                await writer.FlushAsync();
            }
        }
    }
}
