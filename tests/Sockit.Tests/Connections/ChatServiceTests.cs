using System.Net.Sockets;
using System.Text;
using Sockit.Services;

namespace Sockit.Tests.Connections;

public sealed class ChatServiceTests
{
    [Fact]
    public async Task EachLineReachesTheOthersOnceWithTheSendersNameHoweverTheBytesWereSplit()
    {
        await using var server = Loopback.StartServer(new ChatService());
        using var alice = await Loopback.ConnectAsync(server);
        Assert.StartsWith($"* welcome {alice.LocalEndPoint}", await ReadLineAsync(alice), StringComparison.Ordinal);
        using var bob = await Loopback.ConnectAsync(server);
        var bobName = $"[{bob.LocalEndPoint}]";
        Assert.StartsWith($"* welcome {bob.LocalEndPoint} (2 online)", await ReadLineAsync(bob), StringComparison.Ordinal);
        Assert.StartsWith($"* {bob.LocalEndPoint} joined", await ReadLineAsync(alice), StringComparison.Ordinal);

        // Two lines in one write, then one line in three writes.
        await bob.SendAsync("hello\nsecond\nthi"u8.ToArray());
        await bob.SendAsync("rd li"u8.ToArray());
        await bob.SendAsync("ne\r\n"u8.ToArray());

        Assert.Equal($"{bobName} hello", await ReadLineAsync(alice));
        Assert.Equal($"{bobName} second", await ReadLineAsync(alice));
        Assert.Equal($"{bobName} third line", await ReadLineAsync(alice));

        bob.Close();
        Assert.StartsWith($"* {bobName[1..^1]} left", await ReadLineAsync(alice), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlCharactersInALineAreRelayedAsVisibleEscapesSoNobodyCanForgeANameOrDriveATerminal()
    {
        await using var server = Loopback.StartServer(new ChatService());
        using var alice = await Loopback.ConnectAsync(server);
        await ReadLineAsync(alice); // welcome
        using var mallory = await Loopback.ConnectAsync(server);
        await ReadLineAsync(alice); // mallory joined

        await mallory.SendAsync("hi\r[127.0.0.1:1] spoofed\x1b[2J\n"u8.ToArray());
        await mallory.SendAsync("tab\tstays, nul \0 del \x7f c1 \u0085\u009b end \u00e9\n"u8.ToArray());

        Assert.Equal($"[{mallory.LocalEndPoint}] hi\\x0d[127.0.0.1:1] spoofed\\x1b[2J", await ReadLineAsync(alice));
        Assert.Equal($"[{mallory.LocalEndPoint}] tab\tstays, nul \\x00 del \\x7f c1 \\x85\\x9b end \u00e9", await ReadLineAsync(alice));
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new List<byte>();
        while (true)
        {
            var b = (await socket.ReceiveExactlyAsync(1))[0];
            if (b == (byte)'\n')
            {
                return Encoding.UTF8.GetString(line.ToArray());
            }

            line.Add(b);
        }
    }
}
