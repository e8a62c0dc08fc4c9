using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockit.Cli.Tests.Udp;

public sealed class UdpEchoManyPeersTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2, 20)]
    [InlineData(10, 10)]
    [InlineData(100, 5)]
    public async Task OneEchoListenerAnswersEveryPythonPeerAtOnceToTheRightPeer(int peers, int rounds)
    {
        await using var udp = await UdpListener.StartAsync("--mode", "echo");

        var (code, stdout, stderr) = await ExternalTool.RunAsync("python3",
            ["-c", UdpScripts.ManyPeers, udp.Port, peers.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(60));
        output.WriteLine(stdout + stderr);
        udp.Server.Interrupt();
        var exit = await udp.Server.WaitForExitAsync();

        Assert.Equal(0, code);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(0, result.RootElement.GetProperty("wrong").GetInt32());
        Assert.Equal(0, result.RootElement.GetProperty("missing").GetInt32());
        Assert.Equal(peers * rounds, result.RootElement.GetProperty("answered").GetInt32());
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task OneEchoListenerAnswersConcurrentDotNetUdpClients()
    {
        const int Peers = 10;
        const int Datagrams = 20;
        await using var udp = await UdpListener.StartAsync("--mode", "echo");
        var target = new IPEndPoint(IPAddress.Loopback, int.Parse(udp.Port, CultureInfo.InvariantCulture));

        var resent = await Task.WhenAll(Enumerable.Range(0, Peers).Select(async peer =>
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var again = 0;
            for (var i = 0; i < Datagrams; i++)
            {
                var message = $"client{peer} #{i}";
                again += await RoundTripAsync(client, target, message);
            }

            return again;
        }));

        output.WriteLine($"datagrams sent again after 2 s without a reply: {resent.Sum()}");
        udp.Server.Interrupt();
        Assert.Equal(0, await udp.Server.WaitForExitAsync());
    }

    // Sends until its own datagram comes back (at most 5 tries, 2 s each); returns how many were sent again.
    private static async Task<int> RoundTripAsync(UdpClient client, IPEndPoint target, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.SendAsync(bytes, target);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                while (true)
                {
                    var reply = await client.ReceiveAsync(cts.Token);
                    Assert.Equal(target, reply.RemoteEndPoint);
                    var text = Encoding.UTF8.GetString(reply.Buffer);
                    Assert.StartsWith(message[..message.IndexOf('#', StringComparison.Ordinal)], text, StringComparison.Ordinal);
                    if (text == message)
                    {
                        return attempt;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.Fail($"'{message}' was never echoed back in 5 tries");
        return 0;
    }
}
