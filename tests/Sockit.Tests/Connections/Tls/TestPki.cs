using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Tests.Connections;

/// <summary>
/// A small PKI made once per test run: a root CA, leaves it signed (good, expired, wrong name, client), and a
/// second CA nobody trusts. ECDSA P-256 keys (fast on a 2-core machine), one RSA leaf for the RSA paths. The leaves
/// come straight from <see cref="CertificateRequest"/> + CopyWithPrivateKey, i.e. with ephemeral keys, on purpose:
/// the handshakes prove SslStream on Linux takes them as they are.
/// </summary>
internal static class TestPki
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static readonly X509Certificate2 Ca = CreateCa("CN=Sockit Test Root CA");

    public static readonly X509Certificate2 OtherCa = CreateCa("CN=Sockit Other CA");

    public static readonly X509Certificate2 Leaf = Issue(Ca, "localhost", ["localhost"], [IPAddress.Loopback], serverAuth: true);

    public static readonly X509Certificate2 WrongNameLeaf = Issue(Ca, "wrong.example", ["wrong.example", "www.wrong.example"], [], serverAuth: true);

    public static readonly X509Certificate2 ExpiredLeaf = Issue(Ca, "localhost", ["localhost"], [IPAddress.Loopback], serverAuth: true,
        notBefore: Now.AddDays(-10), notAfter: Now.AddDays(-2));

    public static readonly X509Certificate2 ClientLeaf = Issue(Ca, "client-1", ["client-1"], [], serverAuth: false);

    public static readonly X509Certificate2 OtherCaLeaf = Issue(OtherCa, "localhost", ["localhost"], [IPAddress.Loopback], serverAuth: true);

    public static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(Now.AddDays(-30), Now.AddDays(30));
    }

    public static X509Certificate2 Issue(X509Certificate2 issuer, string commonName, string[] dnsNames, IPAddress[] addresses, bool serverAuth,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool rsa = false)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest($"CN={commonName}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (rsa ? X509KeyUsageFlags.KeyEncipherment : 0), critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(7), serial);
        return key is RSA rsaKey ? signed.CopyWithPrivateKey(rsaKey) : signed.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>The certificate as PEM, and its private key as PKCS#8 PEM.</summary>
    public static (string Certificate, string Key) ToPem(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("no private key");
        using (key)
        {
            return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }
    }
}

/// <summary>A temporary directory for certificate files, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sockit-tls-").FullName;

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
