using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

public sealed class TlsCertificatesTests
{
    [Fact]
    public async Task Self_signed_certificate_serves_a_real_handshake_and_its_fingerprint_is_what_openssl_prints()
    {
        using var certificate = TlsCertificates.CreateSelfSigned(["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        using var dir = new TempDir();
        var pem = dir.Write("self.pem", certificate.ExportCertificatePem());

        var (exit, output, errors) = await TlsLoopback.RunAsync("/usr/bin/openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", pem);

        Assert.True(exit == 0, errors);
        var printed = output.Trim()[(output.IndexOf('=', StringComparison.Ordinal) + 1)..]; // "sha256 Fingerprint=AB:CD:..."
        Assert.Equal("sha256:" + printed.Replace(":", "", StringComparison.Ordinal), TlsCertificates.Fingerprint(certificate));
        Assert.True(TlsCertificates.TryParsePin("sha256:" + printed, out var pin, out var error), error);

        var result = await TlsLoopback.HandshakeAsync(new TlsServerOptions { Certificate = certificate }, new TlsClientOptions { PinnedSha256 = pin });
        Assert.True(result.Succeeded, $"{result.ServerError} / {result.ClientError} / {result.ClientVerifier.Problem}");
    }

    [Fact]
    public async Task Self_signed_certificate_has_the_promised_shape_and_verifies_as_its_own_root_by_name_and_by_address()
    {
        var before = DateTime.UtcNow;
        using var certificate = TlsCertificates.CreateSelfSigned(["localhost", "sockit.test"], [IPAddress.Loopback], TimeSpan.FromHours(1));

        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.True(certificate.HasPrivateKey);
        using (var key = certificate.GetECDsaPublicKey())
        {
            Assert.Equal(256, key!.KeySize);
        }

        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.InRange(certificate.NotBefore.ToUniversalTime(), before.AddMinutes(-6), before.AddMinutes(-4));
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), before.AddMinutes(59), before.AddMinutes(61));
        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.False(constraints.CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        var usages = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        var san = new X509SubjectAlternativeNameExtension(certificate.Extensions["2.5.29.17"]!.RawData);
        Assert.Equal(["localhost", "sockit.test"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());

        var server = new TlsServerOptions { Certificate = certificate };
        var trust = new TlsClientOptions { TrustedAuthorities = TlsLoopback.Collection(certificate) };
        var byName = await TlsLoopback.HandshakeAsync(server, trust with { TargetHost = "sockit.test" });
        Assert.True(byName.Succeeded, $"{byName.ServerError} / {byName.ClientError} / {byName.ClientVerifier.Problem}");
        var byAddress = await TlsLoopback.HandshakeAsync(server, trust, dialledHost: "127.0.0.1");
        Assert.True(byAddress.Succeeded, $"{byAddress.ServerError} / {byAddress.ClientError} / {byAddress.ClientVerifier.Problem}");
    }

    [Fact]
    public void Load_reads_a_pem_certificate_with_a_separate_rsa_key_and_one_with_the_key_in_the_same_file()
    {
        using var dir = new TempDir();
        using var rsaLeaf = TestPki.Issue(TestPki.Ca, "rsa.localhost", ["rsa.localhost"], [], serverAuth: true, rsa: true);
        var (rsaCert, rsaKey) = TestPki.ToPem(rsaLeaf);
        var (ecCert, ecKey) = TestPki.ToPem(TestPki.Leaf);

        using var separate = TlsCertificates.Load(dir.Write("rsa.pem", rsaCert), dir.Write("rsa.key", rsaKey));
        using var combined = TlsCertificates.Load(dir.Write("combined.pem", ecCert + "\n" + ecKey + "\n"));

        Assert.Equal(rsaLeaf.Thumbprint, separate.Thumbprint);
        Assert.True(separate.HasPrivateKey);
        Assert.Equal(TestPki.Leaf.Thumbprint, combined.Thumbprint);
        Assert.True(combined.HasPrivateKey);
    }

    [Fact]
    public void Load_reads_a_password_less_pfx_and_p12()
    {
        using var dir = new TempDir();
        var pkcs12 = TestPki.Leaf.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password: null);

        using var pfx = TlsCertificates.Load(dir.Write("server.pfx", pkcs12));
        using var p12 = TlsCertificates.Load(dir.Write("server.P12", pkcs12));

        Assert.Equal(TestPki.Leaf.Thumbprint, pfx.Thumbprint);
        Assert.True(pfx.HasPrivateKey);
        Assert.Equal(TestPki.Leaf.Thumbprint, p12.Thumbprint);
    }

    [Fact]
    public void Load_names_the_file_and_the_reason_in_one_line()
    {
        using var dir = new TempDir();
        var (cert, key) = TestPki.ToPem(TestPki.Leaf);
        var (_, otherKey) = TestPki.ToPem(TestPki.WrongNameLeaf);
        var certOnly = dir.Write("cert.pem", cert);
        var keyFile = dir.Write("cert.key", key);
        var missing = Path.Combine(dir.Path, "missing.pem");

        AssertFails(missing, null, missing, "the file does not exist");
        AssertFails(certOnly, Path.Combine(dir.Path, "missing.key"), certOnly, "the key file '" + Path.Combine(dir.Path, "missing.key") + "' does not exist");
        AssertFails(certOnly, null, certOnly, "no private key in the file (and no key file was given)");
        AssertFails(certOnly, dir.Write("empty.key", ""), certOnly, "no private key in '");
        AssertFails(certOnly, dir.Write("other.key", otherKey), certOnly, "does not match the certificate");
        AssertFails(dir.Write("key-as-cert.pem", key), keyFile, null, "not a certificate");
        AssertFails(dir.Write("garbage.pem", "hello\n"), keyFile, null, "not a certificate");
        AssertFails(dir.Write("garbage.pfx", "not pkcs12"u8.ToArray()), null, null, "not a readable password-less PKCS#12 file");
        AssertFails(dir.Write("locked.pfx", TestPki.Leaf.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "secret")), null, null, "not a readable password-less PKCS#12 file");
        AssertFails(dir.Write("nokey.pfx", X509CertificateLoader.LoadCertificate(TestPki.Ca.RawData).Export(X509ContentType.Pkcs12)!), null, null, "holds no private key");

        static void AssertFails(string path, string? keyPath, string? file, string reason)
        {
            var e = Assert.Throws<TlsConfigurationException>(() => TlsCertificates.Load(path, keyPath));
            Assert.StartsWith($"cannot load certificate '{file ?? path}': ", e.Message, StringComparison.Ordinal);
            Assert.Contains(reason, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Equal(file ?? path, e.File);
        }
    }

    [Fact]
    public void LoadAuthorities_reads_every_certificate_in_a_bundle_and_refuses_an_empty_or_missing_file()
    {
        using var dir = new TempDir();
        var bundle = dir.Write("bundle.pem", "# two roots\n" + TestPki.Ca.ExportCertificatePem() + "\nsome text\n" + TestPki.OtherCa.ExportCertificatePem() + "\n");

        var authorities = TlsCertificates.LoadAuthorities(bundle);

        Assert.Equal([TestPki.Ca.Thumbprint, TestPki.OtherCa.Thumbprint], authorities.Select(c => c.Thumbprint));
        var empty = dir.Write("empty.pem", "");
        Assert.Equal($"cannot load certificate '{empty}': no certificates in the file (expected -----BEGIN CERTIFICATE----- blocks)",
            Assert.Throws<TlsConfigurationException>(() => TlsCertificates.LoadAuthorities(empty)).Message);
        var missing = Path.Combine(dir.Path, "nope.pem");
        Assert.Equal($"cannot load certificate '{missing}': the file does not exist",
            Assert.Throws<TlsConfigurationException>(() => TlsCertificates.LoadAuthorities(missing)).Message);
    }

    [Theory]
    [InlineData("sha256:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")]
    [InlineData("sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    [InlineData("SHA256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    [InlineData("  sha256:00112233445566778899AaBbCcDdEeFf00112233445566778899aAbBcCdDeEfF\n")]
    public void TryParsePin_accepts_hex_in_either_case_with_or_without_colons(string text)
    {
        Assert.True(TlsCertificates.TryParsePin(text, out var sha256, out var error), error);
        Assert.Null(error);
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"), sha256);
    }

    [Theory]
    [InlineData("", "starts with 'sha256:'")]
    [InlineData("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", "starts with 'sha256:'")]
    [InlineData("sha1:00112233445566778899AABBCCDDEEFF00112233", "starts with 'sha256:'")]
    [InlineData("sha256:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEF", "64 hex digits (got 63)")]
    [InlineData("sha256:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00", "64 hex digits (got 66)")]
    [InlineData("sha256:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFG", "only hex digits")]
    [InlineData("sha256:001:12233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", "32 pairs")]
    public void TryParsePin_rejects_anything_else_with_a_reason(string text, string reason)
    {
        Assert.False(TlsCertificates.TryParsePin(text, out var sha256, out var error));
        Assert.Empty(sha256);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
