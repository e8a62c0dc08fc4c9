using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Connections;

/// <summary>
/// Certificates for TLS: short-lived self-signed ones, loading PEM and PKCS#12 files, CA bundles, and SHA-256
/// fingerprints and pins. Every certificate returned with a private key has been through a PKCS#12 round trip, so
/// its key is an ordinary loaded key that <see cref="System.Net.Security.SslStream"/> can use as a server or client
/// certificate on every platform.
/// </summary>
public static class TlsCertificates
{
    /// <summary>The default lifetime of <see cref="CreateSelfSigned"/> certificates: 7 days.</summary>
    public static readonly TimeSpan DefaultSelfSignedLifetime = TimeSpan.FromDays(7);

    private const string PinPrefix = "sha256:";

    private static readonly string[] PrivateKeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <summary>
    /// Creates a short-lived self-signed server certificate: ECDSA P-256 key, SHA-256 signature, subject
    /// <c>CN=</c> the first DNS name (or the first address when there is no name), a subject alternative name with
    /// every DNS name and address (RFC 5280 4.2.1.6), extended key usage serverAuth and clientAuth, basic
    /// constraints not-a-CA, key usage digitalSignature. Valid from 5 minutes ago (clock skew) until
    /// <paramref name="lifetime"/> from now.
    /// </summary>
    /// <param name="dnsNames">Host names to put in the certificate, e.g. <c>localhost</c>.</param>
    /// <param name="addresses">IP addresses to put in the certificate, e.g. <c>127.0.0.1</c>, <c>::1</c>.</param>
    /// <param name="lifetime">How long it stays valid; null for <see cref="DefaultSelfSignedLifetime"/> (7 days).</param>
    /// <returns>The certificate with its private key; dispose it when done.</returns>
    /// <exception cref="ArgumentException">No names and no addresses, an empty name, or a lifetime that is not positive.</exception>
    public static X509Certificate2 CreateSelfSigned(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        var names = dnsNames.ToList();
        var ips = addresses.ToList();
        if (names.Count == 0 && ips.Count == 0)
        {
            throw new ArgumentException("a certificate needs at least one DNS name or IP address", nameof(dnsNames));
        }

        if (names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("a DNS name is empty", nameof(dnsNames));
        }

        var validFor = lifetime ?? DefaultSelfSignedLifetime;
        if (validFor <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the lifetime must be positive (got {validFor})", nameof(lifetime));
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names.Count > 0 ? names[0] : ips[0].ToString());
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        foreach (var ip in ips)
        {
            san.AddIpAddress(ip);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(san.Build(critical: names.Count == 0));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(validFor));
        return RoundTrip(created);
    }

    /// <summary>
    /// Loads a certificate and its private key: a PKCS#12 file when <paramref name="certificatePath"/> ends in
    /// <c>.pfx</c> or <c>.p12</c> (no password; the key is inside), otherwise a PEM certificate (the first
    /// <c>CERTIFICATE</c> block) with an unencrypted PEM key (<c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c> or
    /// <c>EC PRIVATE KEY</c>) from <paramref name="keyPath"/>, or from the certificate file itself when that is null
    /// (what <see cref="X509Certificate2.CreateFromPemFile"/> accepts, with each failure named).
    /// </summary>
    /// <param name="certificatePath">The PEM certificate or the PKCS#12 file.</param>
    /// <param name="keyPath">The PEM private key; null when the key is in <paramref name="certificatePath"/>. Must be null for PKCS#12.</param>
    /// <returns>The certificate with its private key; dispose it when done.</returns>
    /// <exception cref="TlsConfigurationException">A file is missing or unreadable, holds no certificate or no key,
    /// the key is encrypted or does not match the certificate, or the PKCS#12 file is password-protected or corrupt.</exception>
    public static X509Certificate2 Load(string certificatePath, string? keyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        var extension = Path.GetExtension(certificatePath);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            if (keyPath is not null)
            {
                throw new TlsConfigurationException(certificatePath, $"a PKCS#12 file carries its own key; do not also give a key file ('{keyPath}')", null);
            }

            return LoadPkcs12(certificatePath);
        }

        var certificateText = ReadText(certificatePath, certificatePath);
        using var certificate = FirstCertificate(certificatePath, certificateText)
            ?? throw new TlsConfigurationException(certificatePath, "not a certificate (no -----BEGIN CERTIFICATE----- block)", null);
        var keyText = keyPath is null ? certificateText : ReadText(certificatePath, keyPath);
        var keyWhere = keyPath is null ? "the file (and no key file was given)" : $"'{keyPath}'";
        var label = FindKeyLabel(keyText);
        if (label is null)
        {
            var reason = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal)
                ? $"the private key in {keyWhere} is encrypted (only unencrypted keys are supported)"
                : $"no private key in {keyWhere}";
            throw new TlsConfigurationException(certificatePath, reason, null);
        }

        var algorithm = certificate.GetKeyAlgorithm();
        try
        {
            switch (algorithm)
            {
                case "1.2.840.113549.1.1.1":
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportFromPem(keyText);
                        using var withKey = certificate.CopyWithPrivateKey(rsa);
                        return RoundTrip(withKey);
                    }

                case "1.2.840.10045.2.1":
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportFromPem(keyText);
                        using var withKey = certificate.CopyWithPrivateKey(ecdsa);
                        return RoundTrip(withKey);
                    }

                default:
                    throw new TlsConfigurationException(certificatePath, $"unsupported public key algorithm {algorithm} (RSA and ECDSA are supported)", null);
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var kind = algorithm == "1.2.840.10045.2.1" ? "ECDSA" : "RSA";
            throw new TlsConfigurationException(certificatePath, $"the private key in {keyWhere} does not match the certificate (or is not a valid {kind} key)", e);
        }
    }

    /// <summary>
    /// Reads every <c>CERTIFICATE</c> block of a PEM file (a CA bundle, for <c>--ca</c> and <c>--client-ca</c>).
    /// Other blocks and text between blocks are ignored.
    /// </summary>
    /// <param name="path">The PEM file.</param>
    /// <returns>The certificates, in file order, at least one.</returns>
    /// <exception cref="TlsConfigurationException">The file is missing or unreadable, holds no certificate, or a
    /// certificate block is malformed.</exception>
    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = ReadText(path, path);
        var collection = new X509Certificate2Collection();
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            if (rest.Span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    collection.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
                }
                catch (CryptographicException e)
                {
                    throw new TlsConfigurationException(path, $"certificate {collection.Count + 1} is malformed: {e.Message}", e);
                }
            }

            rest = rest[fields.Location.End..];
        }

        return collection.Count > 0
            ? collection
            : throw new TlsConfigurationException(path, "no certificates in the file (expected -----BEGIN CERTIFICATE----- blocks)", null);
    }

    /// <summary>
    /// The certificate's SHA-256 fingerprint as <c>sha256:</c> and 64 uppercase hex digits: the digest of the DER
    /// encoding, the value <c>openssl x509 -noout -fingerprint -sha256</c> prints (without its colons), and the
    /// form <see cref="TryParsePin"/> reads back.
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    public static string Fingerprint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return PinPrefix + Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// Parses a certificate pin: <c>sha256:</c> (any case) and 64 hex digits, upper or lower case, either
    /// contiguous or as 32 colon-separated pairs the way openssl prints them (<c>sha256:AB:CD:...</c>).
    /// Surrounding whitespace is ignored.
    /// </summary>
    /// <param name="text">The pin as the user wrote it.</param>
    /// <param name="sha256">The 32 digest bytes, or empty when parsing fails.</param>
    /// <param name="error">Null on success, otherwise one line saying what is wrong.</param>
    /// <returns>True when <paramref name="text"/> is a valid pin.</returns>
    public static bool TryParsePin(string text, out byte[] sha256, out string? error)
    {
        sha256 = [];
        var trimmed = (text ?? "").Trim();
        if (!trimmed.StartsWith(PinPrefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"a pin starts with '{PinPrefix}' followed by 64 hex digits (got '{trimmed}')";
            return false;
        }

        var hex = trimmed[PinPrefix.Length..];
        if (hex.Contains(':', StringComparison.Ordinal))
        {
            var pairs = hex.Split(':');
            if (pairs.Length != 32 || pairs.Any(p => p.Length != 2))
            {
                error = "a pin with colons has 32 pairs of hex digits separated by ':'";
                return false;
            }

            hex = string.Concat(pairs);
        }

        if (hex.Length != 64)
        {
            error = $"a SHA-256 pin has 64 hex digits (got {hex.Length.ToString(CultureInfo.InvariantCulture)})";
            return false;
        }

        if (!hex.All(char.IsAsciiHexDigit))
        {
            error = $"a pin holds only hex digits 0-9 and A-F (got '{hex}')";
            return false;
        }

        sha256 = Convert.FromHexString(hex);
        error = null;
        return true;
    }

    /// <summary>Exports the certificate and its key to PKCS#12 and loads it back, so the key is a normal loaded
    /// key rather than the ephemeral one of <see cref="CertificateRequest.CreateSelfSigned"/> or
    /// <c>CopyWithPrivateKey</c> (which Windows' SChannel refuses to use).</summary>
    private static X509Certificate2 RoundTrip(X509Certificate2 certificate)
    {
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pkcs12, password: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    private static X509Certificate2 LoadPkcs12(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new TlsConfigurationException(path, "the file does not exist", null);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }
        catch (CryptographicException e)
        {
            throw new TlsConfigurationException(path, $"not a readable password-less PKCS#12 file ({e.Message.TrimEnd('.')})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException(path, e.Message.TrimEnd('.'), e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsConfigurationException(path, "the PKCS#12 file holds no private key", null);
        }

        return certificate;
    }

    private static string ReadText(string file, string path)
    {
        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            var reason = file == path ? "the file does not exist" : $"the key file '{path}' does not exist";
            throw new TlsConfigurationException(file, reason, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = file == path ? e.Message.TrimEnd('.') : $"cannot read the key file: {e.Message.TrimEnd('.')}";
            throw new TlsConfigurationException(file, reason, e);
        }
    }

    private static X509Certificate2? FirstCertificate(string file, string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                }
                catch (CryptographicException e)
                {
                    throw new TlsConfigurationException(file, $"not a certificate (the CERTIFICATE block is malformed: {e.Message.TrimEnd('.')})", e);
                }
            }

            rest = rest[fields.Location.End..];
        }

        return null;
    }

    private static string? FindKeyLabel(string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            foreach (var candidate in PrivateKeyLabels)
            {
                if (label.SequenceEqual(candidate))
                {
                    return candidate;
                }
            }

            rest = rest[fields.Location.End..];
        }

        return null;
    }
}
