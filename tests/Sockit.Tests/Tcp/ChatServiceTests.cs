using System.Net.Sockets;
using System.Text;
using Sockit.Services;

namespace Sockit.Tests.Tcp;

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
