using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;
using static Sockit.Cli.Tests.Forward.ForwardCli;

namespace Sockit.Cli.Tests.Forward;

/// <summary><c>sockit forward</c> between transports: TLS terminated and originated, Unix to TCP and TCP to Unix.</summary>
public sealed class ForwardTransportTests
{
    private const string EchoLine = """
        s = connect()
        s.sendall(b'across\n')
        assert recv_line(s) == b'across\n'
        s.shutdown(socket.SHUT_WR)
        assert recv_until_eof(s) == b''
        print('ok')
        """;

    [Fact]
    public async Task TlsIsTerminatedForAVerifyingPythonClientInFrontOfAPlainTarget()
    {
        var pki = TlsCli.Certificates;
        await using var echo = await TcpCli.ListenAsync("--mode", "echo");
        await using var forward = await StartAsync("tls://127.0.0.1:0", Local(echo.Port), "--cert", pki.Leaf, "--key", pki.LeafKey);

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), $$"""
            ctx = ssl.create_default_context(cafile='{{pki.Ca}}')
            host, port = TARGET.rsplit(':', 1)
            s = ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=20), server_hostname='localhost')
            s.sendall(b'secret\n')
            assert recv_line(s) == b'secret\n'
            print(s.version())
            bye(s)
            """);

        Assert.Matches("^TLSv1\\.[23]\n$", output);
    }

    [Fact]
    public async Task TlsIsOriginatedToASockitTlsListenerPinnedByItsFingerprint()
    {
        await using var target = await TlsCli.ListenAsync("--mode", "echo");
        var pin = await TlsCli.FingerprintAsync(target);
        await using var forward = await StartAsync("127.0.0.1:0", "tls://" + Local(target.Port), "--pin", pin);

        Assert.Equal("ok\n", await TlsCli.PythonClientAsync(Local(forward.Port), EchoLine));
    }

    [Fact]
    public async Task ATlsTargetRequiringAClientCertificateGetsTheTargetCertAndIsRefusedWithoutOne()
    {
        var pki = TlsCli.Certificates;
        await using var target = await TlsCli.ListenAsync("--mode", "echo", "-v", "--cert", pki.Leaf, "--key", pki.LeafKey, "--client-ca", pki.Ca);
        var trust = new[] { "--ca", pki.Ca, "--sni", "localhost" };
        await using (var forward = await StartAsync("127.0.0.1:0", "tls://" + Local(target.Port), [.. trust, "--target-cert", pki.Client, "--target-key", pki.ClientKey]))
        {
            Assert.Equal("ok\n", await TlsCli.PythonClientAsync(Local(forward.Port), EchoLine));
            await target.WaitForStderrLineAsync(l => l.Contains("client certificate CN=sockit-test-client", StringComparison.Ordinal));
        }

        await using (var forward = await StartAsync("127.0.0.1:0", "tls://" + Local(target.Port), trust))
        {
            Assert.Equal("reset\n", await TlsCli.PythonClientAsync(Local(forward.Port), ExpectReset));
            await target.WaitForStderrLineAsync(l => l.Contains("no client certificate: this server requires one", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ATlsTargetWithTheWrongPinResetsTheClientWithOneLineNamingIt()
    {
        await using var target = await TlsCli.ListenAsync("--mode", "echo");
        await using var forward = await StartAsync("127.0.0.1:0", "tls://" + Local(target.Port), "--pin", "sha256:" + new string('0', 64));

        var output = await TlsCli.PythonClientAsync(Local(forward.Port), ExpectReset);

        Assert.Equal("reset\n", output);
        var warning = await forward.WaitForStderrLineAsync(l => l.Contains("failed:", StringComparison.Ordinal));
        Assert.Contains("pin", warning, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AUnixListenerForwardsToTcp()
    {
        var path = TlsCli.UnixPath();
        await using var echo = await TcpCli.ListenAsync("--mode", "echo");
        await using var forward = await StartAsync("unix:" + path, Local(echo.Port));

        Assert.Equal("ok\n", await TlsCli.PythonClientAsync("unix:" + path, EchoLine));
    }

    [Fact]
    public async Task ATcpListenerForwardsToAUnixSocket()
    {
        var path = TlsCli.UnixPath();
        await using var echo = await TlsCli.ListenUnixAsync("unix:" + path, "--mode", "echo");
        await using var forward = await StartAsync("127.0.0.1:0", "unix:" + path);

        Assert.Equal("ok\n", await TlsCli.PythonClientAsync(Local(forward.Port), EchoLine));
    }
}
