using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Tls;

/// <summary><c>sockit listen --tls</c> and <c>sockit connect --tls</c> against real TLS peers: python3 ssl, openssl, ncat.</summary>
public sealed class TlsCliTests
{
    private static TlsCli.Pki Pki => TlsCli.Certificates;

    [Fact]
    public async Task SelfSignedFingerprintIsWhatAPythonClientReceivesAndPinningItEchoes()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo");
        var fingerprint = await TlsCli.FingerprintAsync(server);

        var seen = await TlsCli.PythonClientAsync($"tls:127.0.0.1:{server.Port}", """
            import hashlib
            s = connect()
            der = s.getpeercert(binary_form=True)
            s.sendall(b'hi\n')
            assert recv_line(s) == b'hi\n'
            bye(s)
            print('sha256:' + hashlib.sha256(der).hexdigest().upper())
            """);
        Assert.Equal(fingerprint + "\n", seen);

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "ping\n", "--tls", "--pin", fingerprint);
        Assert.Equal("ping\n", stdout);

        var untrusted = await TlsCli.RunAsync("ping\n", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--tls");
        TcpCli.AssertOneLineFailure(untrusted, 1, $"TLS handshake with 127.0.0.1:{server.Port} failed", "not trusted");
    }

    [Fact]
    public async Task ACaSignedCertificateIsVerifiedByPythonAndByConnectCa()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "--cert", Pki.Leaf, "--key", Pki.LeafKey);

        var stdout = await TcpCli.PythonClientAsync(server.Port, $$"""
            import ssl
            ctx = ssl.create_default_context(cafile={{Py(Pki.Ca)}})
            for name in ('localhost', '127.0.0.1'):
                s = ctx.wrap_socket(connect(), server_hostname=name)
                s.sendall(b'verified %s\n' % name.encode())
                print(recv_line(s).decode(), end='')
                s.unwrap().close()
            """);
        Assert.Equal("verified localhost\nverified 127.0.0.1\n", stdout);

        var (reply, _) = await TcpCli.ConnectAsync(server.Port, "ping\n", "--tls", "--ca", Pki.Ca);
        Assert.Equal("ping\n", reply);
        var (byName, _) = await TcpCli.ConnectAsync(server.Port, "by name\n", "--tls", "--ca", Pki.Ca, "--sni", "localhost");
        Assert.Equal("by name\n", byName);
    }

    [Theory]
    [InlineData("wrong-name", "name mismatch")]
    [InlineData("untrusted", "not trusted")]
    [InlineData("expired", "expired")]
    [InlineData("pin", "pin mismatch")]
    public async Task EachVerificationFailureIsOneLineNamingTheReasonAndExit1(string kind, string reason)
    {
        var (cert, key) = kind switch
        {
            "wrong-name" => (Pki.WrongName, Pki.WrongNameKey),
            "expired" => (Pki.Expired, Pki.LeafKey),
            _ => (Pki.Leaf, Pki.LeafKey),
        };
        string[] trust = kind switch
        {
            "untrusted" => ["--ca", Pki.OtherCa],
            "pin" => ["--pin", "sha256:" + new string('0', 64)],
            _ => ["--ca", Pki.Ca],
        };
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "--cert", cert, "--key", key);

        var run = await TlsCli.RunAsync("ping\n", ["connect", "127.0.0.1", TcpCli.Text(server.Port), "--tls", .. trust]);

        TcpCli.AssertOneLineFailure(run, 1, $"sockit: TLS handshake with 127.0.0.1:{server.Port} failed: ", reason);
    }

    [Fact]
    public async Task OpensslSClientGetsTheEcho()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "--cert", Pki.Leaf, "--key", Pki.LeafKey);
        // -quiet implies -ign_eof: s_client stays up after stdin ends, so the test watches its stdout and kills it.
        await using var client = SockitProcess.StartProgram(
            "openssl", "s_client", "-connect", $"127.0.0.1:{server.Port}", "-quiet", "-CAfile", Pki.Ca, "-verify_return_error");

        await client.WriteInputAsync("from openssl\n");

        await client.WaitForStdoutAsync("from openssl\n");
    }

    [Fact]
    public async Task NcatSslClientGetsTheEcho()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo");

        var (code, stdout, stderr) = await ExternalTool.RunAsync("ncat", ["--ssl", "127.0.0.1", TcpCli.Text(server.Port)], "from ncat\n");

        Assert.True(code == 0, $"ncat failed ({code}): {stderr}");
        Assert.Equal("from ncat\n", stdout);
    }

    [Fact]
    public async Task ConnectTlsToOpensslSServerVerifiesItAndTalks()
    {
        // -rev: s_server sends each line back reversed; -naccept 1: it exits after this client.
        await using var server = SockitProcess.StartProgram(
            "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", Pki.Leaf, "-key", Pki.LeafKey, "-naccept", "1", "-rev");
        await server.WaitForStdoutAsync("ACCEPT 127.0.0.1:");
        var port = int.Parse(server.Stdout.Split("ACCEPT 127.0.0.1:")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var (stdout, _) = await TcpCli.ConnectAsync(port, "ping\n", "--tls", "--ca", Pki.Ca);

        Assert.Equal("gnip\n", stdout);
    }

    [Fact]
    public async Task ConnectCaToAnNcatSslServer()
    {
        var port = FreePort(); // ncat -l cannot report a port 0 picked for it
        await using var server = SockitProcess.StartProgram(
            "ncat", "-v", "--ssl", "--ssl-cert", Pki.Leaf, "--ssl-key", Pki.LeafKey, "-l", "127.0.0.1", TcpCli.Text(port));
        await server.WaitForStderrLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal));
        await using var client = SockitProcess.Start("connect", "127.0.0.1", TcpCli.Text(port), "--tls", "--ca", Pki.Ca);

        // Each side's line arrives before anyone half-closes: ncat ends when its client does.
        await server.WriteInputAsync("from the ncat server\n");
        await client.WaitForStdoutAsync("from the ncat server\n");
        await client.WriteInputAsync("from sockit\n");
        await server.WaitForStdoutAsync("from sockit\n");
        client.StandardInput.Close();

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("from the ncat server\n", client.Stdout);
    }

    [Fact]
    public async Task MutualTlsServesAClientWithACertificateAndRefusesOneWithout()
    {
        await using var server = await TlsCli.ListenAsync(
            "--mode", "echo", "-v", "--cert", Pki.Leaf, "--key", Pki.LeafKey, "--client-ca", Pki.Ca);

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "ping\n", "--tls", "--ca", Pki.Ca, "--cert", Pki.Client, "--key", Pki.ClientKey);
        Assert.Equal("ping\n", stdout);
        await server.WaitForStderrLineAsync(l => l.Contains("client certificate CN=sockit-test-client", StringComparison.Ordinal));

        // TLS 1.3: the client's handshake is done before the server judges its (missing) certificate, so the
        // server resets the connection: connect must fail (exit 1), not take it for a clean end.
        var refused = await TlsCli.RunAsync("ping\n", "connect", "127.0.0.1", TcpCli.Text(server.Port), "--tls", "--ca", Pki.Ca);
        Assert.True(refused.ExitCode == 1, $"exit {refused.ExitCode}: {refused.Stderr}");
        Assert.Equal("", refused.Stdout);
        await server.WaitForStderrLineAsync(l => l.Contains("no client certificate: this server requires one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AlpnIsNegotiatedAndNarratedOnBothSides()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "-v", "--alpn", "http/1.1");
        var fingerprint = await TlsCli.FingerprintAsync(server);

        var (stdout, stderr) = await TcpCli.ConnectAsync(server.Port, "ping\n", "--tls", "--pin", fingerprint, "--alpn", "h2,http/1.1", "-v");

        Assert.Equal("ping\n", stdout);
        Assert.Matches(@"TLS established: TLS 1\.[23], \S+, ALPN http/1\.1, server certificate CN=localhost, expires \d{4}-\d\d-\d\d", stderr);
        await server.WaitForStderrLineAsync(l => l.Contains("TLS established: ", StringComparison.Ordinal) && l.Contains("ALPN http/1.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HalfCloseSendsCloseNotifyAndStillPrintsTheServersReply()
    {
        await using var server = await TcpCli.PythonServerAsync($$"""
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain({{Py(Pki.Leaf)}}, {{Py(Pki.LeafKey)}})
            conn, _ = listener.accept()
            conn.settimeout(20)
            s = ctx.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
            data = recv_until_eof(s)  # b'' only at close_notify: a bare FIN raises SSLEOFError
            s.sendall(b'got %d bytes\n' % len(data))
            s.unwrap().close()
            """);

        var (stdout, _) = await TcpCli.ConnectAsync(server.Port, "x", "--tls", "--ca", Pki.Ca);

        Assert.Equal("got 1 bytes\n", stdout);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task AClientThatNeverHandshakesIsClosedAfterTheHandshakeTimeout()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "-v", "--tls-handshake-timeout", "1s");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            s = connect()
            try:
                got = s.recv(1)
                print('eof' if got == b'' else 'data %r' % got)
            except ConnectionResetError:
                print('reset')
            """);

        Assert.Contains(stdout.Trim(), new[] { "eof", "reset" });
        await server.WaitForStderrLineAsync(l => l.Contains("TLS handshake with 127.0.0.1:", StringComparison.Ordinal)
            && l.Contains("did not finish within 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HexOnATlsListenerShowsThePlaintext()
    {
        await using var server = await TlsCli.ListenAsync("--mode", "echo", "--hex");
        var fingerprint = await TlsCli.FingerprintAsync(server);

        await TcpCli.ConnectAsync(server.Port, "plain words\n", "--tls", "--pin", fingerprint);

        await server.WaitForStderrLineAsync(l => l.Contains("plain words.", StringComparison.Ordinal));
        Assert.Contains("70 6c 61 69 6e 20 77 6f  72 64 73 0a", server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("17 03 03", server.Stderr, StringComparison.Ordinal); // no TLS application-data record header
    }

    [Theory]
    [InlineData("--pin: ", "connect", "127.0.0.1", "7000", "--tls", "--pin", "nothex")]
    [InlineData("--pin is a TLS option", "connect", "127.0.0.1", "7000", "--pin", "nothex")]
    [InlineData("give one of them", "connect", "127.0.0.1", "7000", "--tls", "--ca", "ca.pem", "--insecure")]
    [InlineData("--cert is a TLS option", "connect", "127.0.0.1", "7000", "--cert", "client.pem")]
    [InlineData("--cert is a TLS option", "listen", "127.0.0.1:0", "--cert", "server.pem")]
    [InlineData("missing.pem", "listen", "127.0.0.1:0", "--tls", "--cert", "missing.pem")]
    [InlineData("--udp", "connect", "tls://127.0.0.1:7000", "--udp")]
    [InlineData("--alpn", "listen", "127.0.0.1:0", "--tls", "--alpn", ",")]
    [InlineData("--max-memory", "listen", "127.0.0.1:0", "--tls", "--max-memory", "1")]
    public async Task TlsUsageErrorsAreOneLineAndExit2(string mention, params string[] args)
    {
        var run = await TlsCli.RunAsync("", args);

        TcpCli.AssertOneLineFailure(run, 2, mention);
    }

    /// <summary>A python string literal for a path.</summary>
    private static string Py(string path) => "'" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
