using System.Security.Authentication;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>Every verdict comes from a real handshake over loopback TCP: SslStream on both ends (or python3's ssl).</summary>
public sealed class TlsVerifierTests
{
    private static TlsServerOptions Serve(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new() { Certificate = certificate };

    private static TlsClientOptions TrustCa => new() { TrustedAuthorities = TlsLoopback.Collection(TestPki.Ca) };

    private static void AssertRejected(HandshakeResult result, CertificateProblemKind kind, string message)
    {
        Assert.IsType<AuthenticationException>(result.ClientError);
        Assert.NotNull(result.ServerError);
        var problem = Assert.IsType<CertificateProblem>(result.ClientVerifier.Problem);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public async Task Ca_signed_leaf_is_accepted_with_the_ca_as_trusted_authority_and_alpn_is_negotiated()
    {
        var result = await TlsLoopback.HandshakeAsync(
            Serve(TestPki.Leaf) with { ApplicationProtocols = ["sockit/1", "http/1.1"] },
            TrustCa with { ApplicationProtocols = ["sockit/1"] });

        Assert.True(result.Succeeded, $"{result.ServerError} / {result.ClientError} / {result.ClientVerifier.Problem}");
        Assert.Null(result.ClientVerifier.Problem);
        Assert.Equal("sockit/1", result.ClientAlpn.ToString());
    }

    [Fact]
    public async Task Unknown_ca_or_self_signed_is_an_untrusted_root_against_the_system_store_and_against_another_ca()
    {
        var system = await TlsLoopback.HandshakeAsync(Serve(TestPki.Leaf), new TlsClientOptions());
        AssertRejected(system, CertificateProblemKind.UntrustedRoot, "certificate not trusted: unknown issuer, partial chain (CN=localhost, issued by CN=Sockit Test Root CA)");

        using var selfSigned = TlsCertificates.CreateSelfSigned(["localhost"], []);
        var self = await TlsLoopback.HandshakeAsync(Serve(selfSigned), new TlsClientOptions());
        AssertRejected(self, CertificateProblemKind.UntrustedRoot, "certificate not trusted: untrusted root (CN=localhost, issued by CN=localhost)");

        var other = await TlsLoopback.HandshakeAsync(Serve(TestPki.OtherCaLeaf), TrustCa);
        Assert.Equal(CertificateProblemKind.UntrustedRoot, other.ClientVerifier.Problem?.Kind);
        Assert.EndsWith("(CN=localhost, issued by CN=Sockit Other CA)", other.ClientVerifier.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_name_is_a_name_mismatch_listing_the_certificates_names()
    {
        var result = await TlsLoopback.HandshakeAsync(Serve(TestPki.WrongNameLeaf), TrustCa);
        AssertRejected(result, CertificateProblemKind.NameMismatch, "certificate name mismatch: 'localhost' is not in its names (wrong.example, www.wrong.example)");

        var byTarget = await TlsLoopback.HandshakeAsync(Serve(TestPki.Leaf), TrustCa with { TargetHost = "example.com" });
        AssertRejected(byTarget, CertificateProblemKind.NameMismatch, "certificate name mismatch: 'example.com' is not in its names (localhost, 127.0.0.1)");
    }

    [Fact]
    public async Task Expired_leaf_is_expired_with_its_date()
    {
        var result = await TlsLoopback.HandshakeAsync(Serve(TestPki.ExpiredLeaf), TrustCa);

        var day = TestPki.ExpiredLeaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        AssertRejected(result, CertificateProblemKind.Expired, $"certificate expired on {day} (CN=localhost)");
    }

    [Fact]
    public async Task Pin_accepts_exactly_the_pinned_certificate_whatever_its_chain_and_name()
    {
        Assert.True(TlsCertificates.TryParsePin(TlsCertificates.Fingerprint(TestPki.ExpiredLeaf), out var expiredPin, out _));
        var right = await TlsLoopback.HandshakeAsync(Serve(TestPki.ExpiredLeaf), new TlsClientOptions { PinnedSha256 = expiredPin, TargetHost = "elsewhere.example" });
        Assert.True(right.Succeeded, $"{right.ServerError} / {right.ClientError} / {right.ClientVerifier.Problem}");

        var wrong = await TlsLoopback.HandshakeAsync(Serve(TestPki.Leaf), TrustCa with { PinnedSha256 = expiredPin });
        AssertRejected(wrong, CertificateProblemKind.PinMismatch,
            $"pin mismatch: the server presented {TlsCertificates.Fingerprint(TestPki.Leaf)}, expected {TlsCertificates.Fingerprint(TestPki.ExpiredLeaf)}");
    }

    [Fact]
    public async Task Insecure_accepts_an_expired_wrong_name_certificate_from_an_unknown_ca()
    {
        var result = await TlsLoopback.HandshakeAsync(Serve(TestPki.ExpiredLeaf), new TlsClientOptions { Insecure = true, TargetHost = "wrong.example" });

        Assert.True(result.Succeeded, $"{result.ServerError} / {result.ClientError}");
        Assert.Null(result.ClientVerifier.Problem);
    }

    [Fact]
    public async Task Mutual_tls_accepts_a_client_certificate_from_the_client_ca()
    {
        var result = await TlsLoopback.HandshakeAsync(
            Serve(TestPki.Leaf) with { ClientAuthorities = TlsLoopback.Collection(TestPki.Ca) },
            TrustCa with { ClientCertificate = TestPki.ClientLeaf });

        Assert.True(result.Succeeded, $"{result.ServerError} / {result.ClientError} / {result.ServerVerifier?.Problem}");
        Assert.Equal("CN=client-1", result.ServerSawClientSubject);
        Assert.Null(result.ServerVerifier!.Problem);
    }

    [Fact]
    public async Task Mutual_tls_rejects_a_client_without_a_certificate_or_with_one_from_another_ca()
    {
        var server = Serve(TestPki.Leaf) with { ClientAuthorities = TlsLoopback.Collection(TestPki.Ca) };

        var none = await TlsLoopback.HandshakeAsync(server, TrustCa);
        Assert.IsType<AuthenticationException>(none.ServerError);
        Assert.NotNull(none.ClientError); // TLS 1.3: the client may finish first and learn on its first read
        Assert.Equal(new CertificateProblem(CertificateProblemKind.Missing, "no client certificate: this server requires one (mutual TLS)"), none.ServerVerifier!.Problem);

        var foreign = await TlsLoopback.HandshakeAsync(server, TrustCa with { ClientCertificate = TestPki.OtherCaLeaf });
        Assert.IsType<AuthenticationException>(foreign.ServerError);
        Assert.NotNull(foreign.ClientError);
        Assert.Equal(CertificateProblemKind.UntrustedRoot, foreign.ServerVerifier!.Problem?.Kind);
    }

    [Fact]
    public async Task Python_ssl_client_verifies_the_ca_signed_leaf_loaded_from_pem_files()
    {
        using var dir = new TempDir();
        var (cert, key) = TestPki.ToPem(TestPki.Leaf);
        var caFile = dir.Write("ca.pem", TestPki.Ca.ExportCertificatePem());
        using var certificate = TlsCertificates.Load(dir.Write("server.pem", cert), dir.Write("server.key", key));
        var options = TlsVerifier.ServerAuthentication(new TlsServerOptions { Certificate = certificate }, out var verifier);
        Assert.Null(verifier);
        using var listener = TlsLoopback.Listen();
        var port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        const string Script = """
            import socket, ssl, sys
            context = ssl.create_default_context(cafile=sys.argv[1])
            with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=20) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    line = tls.recv(100).decode().strip()
                    tls.sendall(b"!")
                    subject = dict(rdn[0] for rdn in tls.getpeercert()["subject"])["commonName"]
                    print(tls.version(), line, subject)
            """;

        using var cts = new CancellationTokenSource(TlsLoopback.Timeout);
        var python = TlsLoopback.RunAsync("python3", "-c", Script, caFile, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var socket = await listener.AcceptAsync(cts.Token);
        var (serverError, _) = await TlsLoopback.ServeAsync(socket, options, cts.Token);
        var (exit, output, errors) = await python;

        Assert.Null(serverError);
        Assert.True(exit == 0, errors);
        Assert.Equal("TLSv1.3 hello localhost", output.Trim());
    }
}
