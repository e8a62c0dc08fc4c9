using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockit.Cli.Tests.Udp;

public sealed class UdpBroadcastMulticastCliTests(ITestOutputHelper output)
{
    /// <summary>Binds 0.0.0.0:0 (a broadcast is delivered to sockets bound to the wildcard) and answers one datagram.</summary>
    private const string BroadcastResponder = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('0.0.0.0', 0))
        print(s.getsockname()[1], flush=True)
        s.settimeout(20)
        data, src = s.recvfrom(65535)
        s.sendto(b'heard ' + data, src)
        print('answered', flush=True)
        """;

    /// <summary>ARGS: GROUP PORT. Sends one datagram to GROUP:PORT out of the loopback interface.</summary>
    private const string GroupSender = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        s.sendto(b'to the group', (sys.argv[1], int(sys.argv[2])))
        print(s.getsockname()[1], flush=True)
        """;

    [SkippableFact]
    public async Task BroadcastToTheLoopbackBroadcastAddressReachesAWildcardListener()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "127.255.255.255 as a loopback broadcast address is Linux behaviour");
        await using var python = PythonPeer.Start(BroadcastResponder);
        var port = await python.ReadLineAsync();

        var (code, stdout, stderr) = await SockitProcess.RunAsync("ping\n", "connect", "--udp", "127.255.255.255", port, "--broadcast", "--wait", "3s");
        output.WriteLine(stderr);

        Assert.Equal(0, code);
        Assert.Equal("answered", await python.ReadLineAsync());
        Assert.Matches($@"^\[127\.0\.0\.1:{port}\] heard ping\n$", stdout);
    }

    [SkippableFact]
    public async Task BroadcastWithoutTheFlagIsRefusedByTheKernel()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux refuses a broadcast without SO_BROADCAST with EACCES");

        var (code, _, stderr) = await SockitProcess.RunAsync("ping\n", "connect", "--udp", "127.255.255.255", "9", "--wait", "0");

        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("--broadcast", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GroupJoinsAMulticastGroupOnLoopbackAndPrintsWhatArrives()
    {
        var group = "239.255.78." + Random.Shared.Next(1, 250).ToString(CultureInfo.InvariantCulture);
        var port = FreePort();
        await using var member = SockitProcess.Start("connect", "--udp", group, port, "--group", group + "%lo", "--wait", "1s");
        try
        {
            await member.WaitForStderrLineAsync(l => l.Contains("joined " + group, StringComparison.Ordinal));
        }
        catch (InvalidOperationException ex)
        {
            output.WriteLine(ex.Message);
            Skip.If(true, "the kernel would not join a multicast group on lo: " + member.Stderr.Trim());
        }

        await using var sender = PythonPeer.Start(GroupSender, group, port);
        var senderPort = await sender.ReadLineAsync();
        await member.WaitForStdoutAsync("to the group");
        member.StandardInput.Close();
        var code = await member.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Contains($"[127.0.0.1:{senderPort}] to the group\n", member.Stdout, StringComparison.Ordinal);
    }

    private static string FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
    }
}
