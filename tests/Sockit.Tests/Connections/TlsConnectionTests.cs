using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Connections;
using Sockit.Diagnostics;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary>
/// TLS against real, independent implementations (python's ssl, i.e. OpenSSL; openssl s_client; ncat), the
/// verification failures as a client sees them, mutual TLS, the handshake timeout, half-close and what observers see.
/// </summary>
public sealed class TlsConnectionTests : IDisposable
{
    // A python ssl client that verifies against the test CA as localhost, sends random length frames in random
    // splits and checks the echo byte for byte.
    private const string PythonEchoClient = """
        import random, socket, ssl, struct, sys
        port, cafile, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        rng = random.Random(seed)
        ctx = ssl.create_default_context(cafile=cafile)
        raw = socket.create_connection(('127.0.0.1', port), timeout=30)
        s = ctx.wrap_socket(raw, server_hostname='localhost')
        data = b''.join(struct.pack('>I', n) + rng.randbytes(n) for n in [rng.randrange(0, 3000) for _ in range(40)])
        i = 0
        while i < len(data):
            k = rng.randrange(1, 1500)
            s.sendall(data[i:i + k])
            i += k
        got = b''
        while len(got) < len(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        print('OK' if got == data else 'MISMATCH %d of %d bytes' % (len(got), len(data)), s.version())
        s.close()
        """;

    // A python ssl server: prints its port, serves one client. 'line': answers the first line with "echo: " and
    // waits for the client's close_notify. 'eof': reads until the client's close_notify, then answers with the
    // count and closes with its own close_notify.
    private const string PythonTlsServer = """
        import socket, ssl, sys
        cert, key, mode = sys.argv[1], sys.argv[2], sys.argv[3]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        ls = socket.socket()
        ls.bind(('127.0.0.1', 0))
        ls.listen(1)
        ls.settimeout(30)
        print(ls.getsockname()[1])
        conn, _ = ls.accept()
        conn.settimeout(30)
        s = ctx.wrap_socket(conn, server_side=True)
        if mode == 'first':
            s.sendall(b'bye\n')
            raw = s.unwrap()  # close_notify first; returns once the client's has come
            raw.recv(1)  # and its FIN: this side's FIN comes after the client has closed
            raw.close()
            print('done')
            sys.exit(0)
        data = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if mode == 'line' and data.endswith(b'\n'):
                break
        if mode == 'line':
            s.sendall(b'echo: ' + data)
        else:
            s.sendall(b'got %d bytes after your close_notify\n' % len(data))
        s.unwrap().close()
        print('done', s.version() if hasattr(s, 'version') else '')
        """;

    private readonly TempDir _files = new();

    public void Dispose() => _files.Dispose();

    private string CaFile => _files.Write("ca.pem", TestPki.ToPem(TestPki.Ca).Certificate);

    private (string Certificate, string Key) LeafFiles()
    {
        var (certificate, key) = TestPki.ToPem(TestPki.Leaf);
        return (_files.Write("leaf.pem", certificate), _files.Write("leaf.key", key));
    }

    private static SocketServer StartTlsServer(IConnectionHandler handler, TlsServerOptions? tls = null, ConnectionOptions? connection = null) =>
        Loopback.StartServer(handler, new SocketServerOptions
        {
            Tls = tls ?? new TlsServerOptions { Certificate = TestPki.Leaf },
            Connection = connection ?? ConnectionOptions.Default,
        });

    private static TlsClientOptions TrustingTheTestCa => new() { TrustedAuthorities = TlsLoopback.Collection(TestPki.Ca), TargetHost = "localhost" };

    [Fact]
    public async Task PythonSslClientVerifiesOurServerAndGetsItsRandomlySplitFramesBack()
    {
        await using var server = StartTlsServer(new EchoService(FrameSpec.Length));
        await using var python = PeerProcess.StartPython(PythonEchoClient, server.Port().ToString(), CaFile, "42");

        var line = await python.ReadLineAsync();
        Assert.StartsWith("OK TLSv1.", line, StringComparison.Ordinal);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(0, server.HandshakeFailures);
    }

    [Fact]
    public async Task ConnectorTrustsAPythonSslServerThroughTheCa()
    {
        var (certificate, key) = LeafFiles();
        await using var python = PeerProcess.StartPython(PythonTlsServer, certificate, key, "line");
        var port = int.Parse(await python.ReadLineAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{port}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();
        var tls = Assert.IsType<TlsConnection>(client);
        Assert.Equal("CN=localhost", tls.RemoteCertificate?.Subject);
        await client.WriteAsync("hello python\n");
        var lines = client.Lines();
        Assert.Equal("echo: hello python", await lines.ReadLineAsync());
        await client.Output.CompleteAsync(); // close_notify: python's unwrap() returns
        await lines.ReadEndAsync();
        Assert.StartsWith("done", await python.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await python.WaitForExitAsync());
    }

    [Fact]
    public async Task HalfCloseOverTlsThePeerReadsToCloseNotifyAndItsReplyStillArrives()
    {
        var (certificate, key) = LeafFiles();
        await using var python = PeerProcess.StartPython(PythonTlsServer, certificate, key, "eof");
        var port = int.Parse(await python.ReadLineAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{port}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();

        var data = new byte[50_000];
        new Random(5).NextBytes(data);
        await client.WriteSplitAsync(data, new Random(6), maxPiece: 9000);
        await client.Output.CompleteAsync(); // close_notify, then FIN; reading goes on

        Assert.Equal("got 50000 bytes after your close_notify\n", Encoding.ASCII.GetString(await client.ReadToEndAsync()));
        Assert.StartsWith("done", await python.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await python.WaitForExitAsync());
        await client.CloseAsync();
        Assert.Equal(CloseReasonKind.PeerClosed, client.CloseReason?.Kind);
    }

    [Fact]
    public async Task APeerWhoseCloseNotifyCameFirstClosedTheConnectionThoughItsFinComesAfterOurs()
    {
        var (certificate, key) = LeafFiles();
        await using var python = PeerProcess.StartPython(PythonTlsServer, certificate, key, "first");
        var port = int.Parse(await python.ReadLineAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{port}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();

        Assert.Equal("bye\n", Encoding.ASCII.GetString(await client.ReadToEndAsync()));
        await client.CloseAsync();

        // Before: the transport saw no FIN before its own close and called it ours (LocalClosed).
        Assert.Equal(CloseReasonKind.PeerClosed, client.CloseReason?.Kind);
        Assert.StartsWith("done", await python.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await python.WaitForExitAsync());
    }

    [Fact]
    public async Task OpensslSClientGetsItsLineEchoed()
    {
        await using var server = StartTlsServer(new EchoService(FrameSpec.Line));
        await using var openssl = PeerProcess.Start("/usr/bin/openssl", "s_client", "-connect", $"127.0.0.1:{server.Port()}", "-quiet", "-no_ign_eof",
            "-CAfile", CaFile, "-verify_return_error", "-verify_hostname", "localhost", "-servername", "localhost");

        await openssl.WriteAsync("hello openssl\n");
        Assert.Equal("hello openssl", await openssl.ReadLineAsync());
        openssl.CloseInput(); // -no_ign_eof: stdin's end sends close_notify and quits
        Assert.Equal(0, await openssl.WaitForExitAsync());
        Assert.Equal(0, server.HandshakeFailures);
    }

    [Fact]
    public async Task NcatSslClientGetsItsLineEchoed()
    {
        await using var server = StartTlsServer(new EchoService(FrameSpec.Line));
        await using var ncat = PeerProcess.Start("/usr/bin/ncat", "--ssl", "--ssl-verify", "--ssl-trustfile", CaFile, "--ssl-servername", "localhost",
            "127.0.0.1", server.Port().ToString());

        await ncat.WriteAsync("hello ncat\n");
        Assert.Equal("hello ncat", await ncat.ReadLineAsync());
        ncat.CloseInput();
        Assert.Equal(0, await ncat.WaitForExitAsync());
        Assert.Equal(0, server.HandshakeFailures);
    }

    [Fact]
    public async Task ConnectorTalksToAnNcatSslServer()
    {
        var (certificate, key) = LeafFiles();
        // ncat cannot listen on port 0 and say which it got: take a free port, and try again should another
        // process grab it first (bounded).
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = TlsLoopback.Listen())
            {
                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }

            await using var ncat = PeerProcess.Start("/usr/bin/ncat", "-v", "--ssl", "-l", "127.0.0.1", port.ToString(),
                "--ssl-cert", certificate, "--ssl-key", key, "--sh-exec", "cat");
            string? line;
            while ((line = await ncat.ReadErrorLineAsync()) is not null && !line.Contains("Listening on", StringComparison.Ordinal))
            {
            }

            if (line is null)
            {
                Assert.True(attempt < 3, "ncat never listened: " + ncat.Errors);
                continue;
            }

            await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{port}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();
            await client.WriteAsync("through ncat and cat\n");
            var lines = client.Lines();
            Assert.Equal("through ncat and cat", await lines.ReadLineAsync());
            await client.Output.CompleteAsync();
            await lines.ReadEndAsync();
            await ncat.WaitForExitAsync();
            return;
        }
    }

    public static TheoryData<string, string, string> VerificationFailures => new()
    {
        { "wrong-name", "name mismatch", "'localhost'" },
        { "untrusted", "not trusted", "Sockit Other CA" },
        { "expired", "expired", "CN=localhost" },
        { "pin", "pin mismatch", "sha256:" },
    };

    [Theory]
    [MemberData(nameof(VerificationFailures))]
    public async Task EachVerificationFailureIsAHandshakeErrorNamingTheReason(string failure, string reason, string detail)
    {
        var presented = failure switch
        {
            "wrong-name" => TestPki.WrongNameLeaf,
            "untrusted" => TestPki.OtherCaLeaf,
            "expired" => TestPki.ExpiredLeaf,
            _ => TestPki.Leaf,
        };
        var tls = failure == "pin" ? new TlsClientOptions { PinnedSha256 = TestPki.OtherCaLeaf.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256) } : TrustingTheTestCa;
        await using var server = StartTlsServer(new EchoService(FrameSpec.Line), new TlsServerOptions { Certificate = presented });

        var error = await Assert.ThrowsAsync<ConnectionException>(() =>
            SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port()}"), Loopback.Timeout, tls: tls).WithTimeout());

        Assert.Equal(ConnectionErrorKind.TlsHandshake, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port()}", error.Message, StringComparison.Ordinal);

        // Under TLS 1.3 the server's side of the handshake is over before the client judges the certificate, so
        // the server may count a failed handshake or see the connection end at its first read: either way it lets go.
        await LimitsTests.WaitUntilAsync(() => server.ConnectionCount == 0);
    }

    [Fact]
    public async Task MutualTlsServesAClientWithACertificateFromTheCa()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = StartTlsServer(recording, new TlsServerOptions { Certificate = TestPki.Leaf, ClientAuthorities = TlsLoopback.Collection(TestPki.Ca) });

        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port()}"), Loopback.Timeout,
            tls: TrustingTheTestCa with { ClientCertificate = TestPki.ClientLeaf }).WithTimeout();
        await client.WriteAsync("with a certificate\n");

        Assert.Equal("with a certificate", await client.Lines().ReadLineAsync());
        var served = Assert.IsType<TlsConnection>(await recording.First.WithTimeout());
        Assert.Equal("CN=client-1", served.RemoteCertificate?.Subject);
        Assert.Equal(0, server.HandshakeFailures);
    }

    [Fact]
    public async Task MutualTlsRefusesAClientWithoutACertificate()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = StartTlsServer(recording, new TlsServerOptions { Certificate = TestPki.Leaf, ClientAuthorities = TlsLoopback.Collection(TestPki.Ca) });

        // Under TLS 1.3 the client's handshake may finish before the server has judged its (missing) certificate:
        // the refusal then shows as the end of its input, or a reset, at the first read.
        try
        {
            await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port()}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();
            await client.WriteAsync("without a certificate\n");
            Assert.Empty(await client.ReadToEndAsync());
        }
        catch (ConnectionException ex) when (ex.Kind == ConnectionErrorKind.TlsHandshake)
        {
        }
        catch (IOException)
        {
            // The transport was reset, or the server's alert ended the input with an error.
        }

        await LimitsTests.WaitUntilAsync(() => server.HandshakeFailures == 1);
        Assert.Empty(recording.Connections); // the handler never saw it
    }

    [Fact]
    public async Task AClientThatSaysNothingIsClosedAfterTheHandshakeTimeoutAndCounted()
    {
        var recording = new RecordingHandler(new EchoService(FrameSpec.Line));
        await using var server = StartTlsServer(recording, new TlsServerOptions { Certificate = TestPki.Leaf, HandshakeTimeout = TimeSpan.FromSeconds(1) });
        using var silent = await Loopback.ConnectAsync(server);

        Assert.True(await silent.WasClosedByPeerAsync());
        await LimitsTests.WaitUntilAsync(() => server.HandshakeFailures == 1 && server.ConnectionCount == 0);
        Assert.Empty(recording.Connections);
    }

    [Fact]
    public async Task ObserversOfATlsServerSeePlaintextNotRecords()
    {
        var observer = new RecordingObserver();
        await using var server = StartTlsServer(new EchoService(FrameSpec.Line), connection: new ConnectionOptions { Observer = observer });
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port()}"), Loopback.Timeout, tls: TrustingTheTestCa).WithTimeout();

        await client.WriteAsync("the plaintext the hex dump shows\n");
        Assert.Equal("the plaintext the hex dump shows", await client.Lines().ReadLineAsync());

        await LimitsTests.WaitUntilAsync(() => observer.Text(TrafficDirection.Out).Length > 0);
        Assert.Equal("the plaintext the hex dump shows\n", observer.Text(TrafficDirection.In));
        Assert.Equal("the plaintext the hex dump shows\n", observer.Text(TrafficDirection.Out));
    }

    [Fact]
    public async Task ObserversOfATlsClientSeePlaintextNotRecords()
    {
        var observer = new RecordingObserver();
        await using var server = StartTlsServer(new EchoService(FrameSpec.Line));
        await using var client = await SocketConnector.ConnectAsync(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port()}"), Loopback.Timeout,
            new ConnectionOptions { Observer = observer }, TrustingTheTestCa).WithTimeout();

        await client.WriteAsync("client side plaintext\n");
        Assert.Equal("client side plaintext", await client.Lines().ReadLineAsync());

        Assert.Equal("client side plaintext\n", observer.Text(TrafficDirection.Out));
        Assert.Equal("client side plaintext\n", observer.Text(TrafficDirection.In));
    }

    /// <summary>Keeps every byte observed, per direction, checking each call's offset continues the stream.</summary>
    private sealed class RecordingObserver : ITrafficObserver
    {
        private readonly ConcurrentDictionary<TrafficDirection, MemoryStream> _streams = new();

        public void OnTraffic(Connection connection, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data)
        {
            var stream = _streams.GetOrAdd(direction, _ => new MemoryStream());
            lock (stream)
            {
                Assert.Equal(stream.Length, offset);
                foreach (var segment in data)
                {
                    stream.Write(segment.Span);
                }
            }
        }

        public string Text(TrafficDirection direction)
        {
            if (!_streams.TryGetValue(direction, out var stream))
            {
                return "";
            }

            lock (stream)
            {
                return Encoding.ASCII.GetString(stream.ToArray());
            }
        }
    }
}
