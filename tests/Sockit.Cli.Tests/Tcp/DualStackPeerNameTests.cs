using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>
/// A bare PORT listens on [::] dual-stack, where the kernel hands IPv4 peers over as ::ffff:127.0.0.1. Everywhere a
/// peer is named (chat names, -v, --hex, forward narration, exec's environment, UDP senders) it must read
/// 127.0.0.1:PORT, as on an IPv4 listener.
/// </summary>
public sealed class DualStackPeerNameTests
{
    private const string Mapped = "::ffff:";

    private static async Task<SockitProcess> OnEveryInterfaceAsync(params string[] args)
    {
        var server = SockitProcess.Start(args);
        var line = await server.WaitForStderrLineAsync(l => l.Contains("listening on ", StringComparison.Ordinal));
        Assert.Contains("listening on [::]:", line, StringComparison.Ordinal); // really dual-stack
        await server.WaitForListeningPortAsync();
        return server;
    }

    [Fact]
    public async Task ChatNamesVerboseAndHexNameIpv4PeersPlainlyAndNoFinIsClaimedAfterAReset()
    {
        await using var server = await OnEveryInterfaceAsync("listen", "0", "--mode", "chat", "-v", "--hex");

        // a joins, b joins, a says hello and resets (SO_LINGER 0); b reads until a's leave notice.
        var heard = await TcpCli.PythonClientAsync(server.Port, """
            a = connect()
            recv_line(a)
            b = connect()
            recv_line(b)
            recv_line(a)
            a.sendall(b'hello\n')
            print(recv_line(b).decode(), end='')
            print('a=127.0.0.1:%d' % a.getsockname()[1])
            a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            a.close()
            print(recv_line(b).decode(), end='')
            b.close()
            """);
        var a = heard.Split('\n').Single(l => l.StartsWith("a=", StringComparison.Ordinal))[2..];
        var closed = await server.WaitForStderrLineAsync(l => l.Contains($"{a}: closed (", StringComparison.Ordinal));

        Assert.Contains($"[{a}] hello", heard, StringComparison.Ordinal);
        Assert.Contains($"* {a} left", heard, StringComparison.Ordinal);
        Assert.Contains("connection reset by peer", closed, StringComparison.Ordinal);
        Assert.Contains($"accepted {a} (three-way handshake done)", server.Stderr, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^< \S+ from {a.Replace(".", @"\.", StringComparison.Ordinal)} offset=0 length=6$", server.Stderr);
        Assert.DoesNotContain($"{a}: sent FIN", server.Stderr, StringComparison.Ordinal); // a reset peer gets no FIN, and -v must not claim one
        Assert.DoesNotContain(Mapped, server.Stderr + heard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecSeesThePlainIpv4PeerAndLocalAddresses()
    {
        await using var server = await OnEveryInterfaceAsync("listen", "0", "--exec", "echo \"$SOCKIT_PEER_ADDR $SOCKIT_LOCAL_ADDR $SOCKIT_LOCAL_PORT\"", "-v");

        var output = await TcpCli.NetcatAsync(server.Port, "");

        Assert.Equal($"127.0.0.1 127.0.0.1 {server.Port}\n", output);
        await server.WaitForStderrLineAsync(l => l.Contains("exited with status 0", StringComparison.Ordinal));
        Assert.DoesNotContain(Mapped, server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardNarratesThePlainIpv4Client()
    {
        await using var target = await TcpCli.ListenAsync("--mode", "echo");
        await using var forward = await OnEveryInterfaceAsync("forward", "0", $"127.0.0.1:{TcpCli.Text(target.Port)}", "-v", "--hex");

        Assert.Equal("hi\n", await TcpCli.NetcatAsync(forward.Port, "hi\n"));
        var done = await forward.WaitForStderrLineAsync(l => l.Contains("forward closed", StringComparison.Ordinal));

        Assert.Matches(@"#1 127\.0\.0\.1:\d+: forward closed", done);
        Assert.DoesNotContain(Mapped, forward.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UdpListenShowsThePlainIpv4Sender()
    {
        await using var server = await OnEveryInterfaceAsync("listen", "--udp", "0", "-v", "--hex");

        var sender = (await ExternalTool.PythonAsync($$"""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(b'dgram\n', ('127.0.0.1', {{server.Port}}))
            print('127.0.0.1:%d' % s.getsockname()[1])
            """)).Stdout.Trim();
        await server.WaitForStdoutAsync("dgram");

        Assert.Contains($"[{sender}] dgram", server.Stdout, StringComparison.Ordinal);
        Assert.Contains($"first datagram from {sender}", server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Mapped, server.Stdout + server.Stderr, StringComparison.Ordinal);
    }
}
