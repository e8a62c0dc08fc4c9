using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Connections;

/// <summary>
/// Decides whether a peer's certificate is acceptable, and says why not. <see cref="Validate"/> has the shape of
/// <see cref="RemoteCertificateValidationCallback"/>; the first rejection is kept in <see cref="Problem"/> so the
/// handshake's <see cref="AuthenticationException"/> can be replaced by a message people can act on.
/// </summary>
/// <remarks>
/// Client side rules, first match wins: <see cref="TlsClientOptions.Insecure"/> accepts everything;
/// <see cref="TlsClientOptions.PinnedSha256"/> accepts exactly the certificate with that SHA-256 (no chain or name
/// check); <see cref="TlsClientOptions.TrustedAuthorities"/> builds the chain with
/// <see cref="X509ChainTrustMode.CustomRootTrust"/> to those roots (RFC 5280 path validation) and takes the name
/// check from <see cref="SslPolicyErrors.RemoteCertificateNameMismatch"/> (RFC 6125); otherwise SslStream's own
/// verdict against the system store must be <see cref="SslPolicyErrors.None"/>. Server side (mutual TLS): the
/// client must present a certificate that chains to one of the client authorities and allows clientAuth.
/// </remarks>
public sealed class TlsVerifier
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly bool _insecure;
    private readonly byte[]? _pin;
    private readonly X509Certificate2Collection? _authorities;
    private readonly bool _isServer;
    private readonly string? _targetHost;
    private CertificateProblem? _problem;

    /// <summary>A client-side verifier for <paramref name="options"/>.</summary>
    /// <param name="options">The trust rules.</param>
    /// <param name="fallbackHost">The host that was dialled, used for messages when
    /// <see cref="TlsClientOptions.TargetHost"/> is null.</param>
    /// <exception cref="ArgumentException">The pin is not 32 bytes.</exception>
    public TlsVerifier(TlsClientOptions options, string? fallbackHost = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PinnedSha256 is { Length: not 32 })
        {
            throw new ArgumentException($"a SHA-256 pin is 32 bytes (got {options.PinnedSha256.Length})", nameof(options));
        }

        _insecure = options.Insecure;
        _pin = options.PinnedSha256?.ToArray();
        _authorities = options.TrustedAuthorities;
        _targetHost = options.TargetHost ?? fallbackHost;
    }

    /// <summary>A server-side verifier for mutual TLS: clients must present a certificate that chains to one of
    /// <paramref name="clientAuthorities"/> (custom root trust) and whose extended key usage allows clientAuth.</summary>
    /// <param name="clientAuthorities">The roots client certificates must chain to; at least one.</param>
    /// <exception cref="ArgumentException">The collection is empty.</exception>
    public TlsVerifier(X509Certificate2Collection clientAuthorities)
    {
        ArgumentNullException.ThrowIfNull(clientAuthorities);
        if (clientAuthorities.Count == 0)
        {
            throw new ArgumentException("mutual TLS needs at least one client authority", nameof(clientAuthorities));
        }

        _authorities = clientAuthorities;
        _isServer = true;
    }

    /// <summary>The first certificate this verifier rejected, or null while it has rejected none.</summary>
    public CertificateProblem? Problem => Volatile.Read(ref _problem);

    /// <summary>
    /// Builds the .NET client options: TLS 1.2 and 1.3 only, SNI and name check for
    /// <see cref="TlsClientOptions.TargetHost"/> (or <paramref name="fallbackHost"/>), ALPN, the client certificate,
    /// no revocation check, and a new verifier as the validation callback.
    /// </summary>
    /// <param name="options">The client's TLS settings.</param>
    /// <param name="fallbackHost">The host that was dialled, used when <see cref="TlsClientOptions.TargetHost"/> is null.</param>
    /// <param name="verifier">The verifier installed as the callback; read its <see cref="Problem"/> when the handshake fails.</param>
    /// <exception cref="ArgumentException">The pin is not 32 bytes, or an ALPN name is empty or longer than 255 bytes.</exception>
    public static SslClientAuthenticationOptions ClientAuthentication(TlsClientOptions options, string fallbackHost, out TlsVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fallbackHost);
        verifier = new TlsVerifier(options, fallbackHost);
        return new SslClientAuthenticationOptions
        {
            TargetHost = options.TargetHost ?? fallbackHost,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = Protocols(options.ApplicationProtocols),
            ClientCertificateContext = options.ClientCertificate is { } certificate
                ? SslStreamCertificateContext.Create(certificate, additionalCertificates: null)
                : null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verifier.Validate,
        };
    }

    /// <summary>
    /// Builds the .NET server options: TLS 1.2 and 1.3 only, the certificate as a
    /// <see cref="SslStreamCertificateContext"/>, ALPN, and, when <see cref="TlsServerOptions.ClientAuthorities"/>
    /// is set, a required client certificate checked by a new verifier.
    /// </summary>
    /// <param name="options">The server's TLS settings.</param>
    /// <param name="verifier">The client-certificate verifier, or null when mutual TLS is off.</param>
    /// <exception cref="ArgumentException">The certificate has no private key, the client authorities are empty, or
    /// an ALPN name is empty or longer than 255 bytes.</exception>
    public static SslServerAuthenticationOptions ServerAuthentication(TlsServerOptions options, out TlsVerifier? verifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Certificate.HasPrivateKey)
        {
            throw new ArgumentException($"the server certificate ({options.Certificate.Subject}) has no private key", nameof(options));
        }

        verifier = options.ClientAuthorities is { } authorities ? new TlsVerifier(authorities) : null;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = Protocols(options.ApplicationProtocols),
            ClientCertificateRequired = verifier is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verifier is null ? null : verifier.Validate,
        };
    }

    /// <summary>
    /// The validation callback: true to accept <paramref name="certificate"/>. On rejection, records the first
    /// <see cref="Problem"/>.
    /// </summary>
    /// <param name="sender">The <see cref="SslStream"/> (unused).</param>
    /// <param name="certificate">The peer's certificate, or null when it presented none.</param>
    /// <param name="chain">The chain SslStream built against the system store, or null.</param>
    /// <param name="errors">SslStream's verdict: chain, name and availability errors.</param>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_insecure)
        {
            return true;
        }

        var problem = Check(certificate, chain, errors);
        if (problem is null)
        {
            return true;
        }

        Interlocked.CompareExchange(ref _problem, problem, null);
        return false;
    }

    private CertificateProblem? Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return new CertificateProblem(CertificateProblemKind.Missing, _isServer
                ? "no client certificate: this server requires one (mutual TLS)"
                : "the server presented no certificate");
        }

        if (_pin is not null)
        {
            var actual = certificate.GetCertHash(HashAlgorithmName.SHA256);
            return CryptographicOperations.FixedTimeEquals(actual, _pin)
                ? null
                : new CertificateProblem(CertificateProblemKind.PinMismatch,
                    $"pin mismatch: the server presented sha256:{Convert.ToHexString(actual)}, expected sha256:{Convert.ToHexString(_pin)}");
        }

        if (_authorities is not null)
        {
            using var leaf = new X509Certificate2(certificate);
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.ApplicationPolicy.Add(_isServer ? ClientAuth : ServerAuth);
            if (chain is not null)
            {
                // Intermediates the peer sent (SslStream put them in ExtraStore of its own chain).
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            var built = custom.Build(leaf);
            try
            {
                if (!built && ClassifyChain(leaf, custom) is { } chainProblem)
                {
                    return chainProblem;
                }
            }
            finally
            {
                foreach (var element in custom.ChainElements)
                {
                    element.Certificate.Dispose();
                }
            }

            return !_isServer && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 ? NameMismatch(leaf) : null;
        }

        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        using var presented = new X509Certificate2(certificate);
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return (chain is null ? null : ClassifyChain(presented, chain))
                ?? new CertificateProblem(CertificateProblemKind.Other, $"certificate not trusted: the chain did not validate ({Describe(presented)})");
        }

        return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
            ? NameMismatch(presented)
            : new CertificateProblem(CertificateProblemKind.Other, $"certificate rejected: {errors} ({Describe(presented)})");
    }

    /// <summary>Names the most useful chain failure: trust first (a renewed certificate would still fail), then
    /// validity, then anything else. Null when the chain reports no error.</summary>
    private static CertificateProblem? ClassifyChain(X509Certificate2 leaf, X509Chain chain)
    {
        var all = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (flags, status) => flags | status.Status);
        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                all |= status.Status;
            }
        }

        if ((all & X509ChainStatusFlags.UntrustedRoot) != 0)
        {
            return new CertificateProblem(CertificateProblemKind.UntrustedRoot, $"certificate not trusted: untrusted root ({Describe(leaf)})");
        }

        if ((all & X509ChainStatusFlags.PartialChain) != 0)
        {
            return new CertificateProblem(CertificateProblemKind.UntrustedRoot, $"certificate not trusted: unknown issuer, partial chain ({Describe(leaf)})");
        }

        if ((all & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            var expired = chain.ChainElements
                .FirstOrDefault(e => e.ChainElementStatus.Any(s => (s.Status & X509ChainStatusFlags.NotTimeValid) != 0))?.Certificate ?? leaf;
            var now = DateTime.UtcNow;
            var notBefore = expired.NotBefore.ToUniversalTime();
            var message = notBefore > now
                ? $"certificate not valid until {Day(notBefore)} ({expired.Subject})"
                : $"certificate expired on {Day(expired.NotAfter.ToUniversalTime())} ({expired.Subject})";
            return new CertificateProblem(CertificateProblemKind.Expired, message);
        }

        if (all == X509ChainStatusFlags.NoError)
        {
            return null;
        }

        var detail = chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).FirstOrDefault(s => s.Length > 0) ?? all.ToString();
        return new CertificateProblem(CertificateProblemKind.Other, $"certificate not trusted: {detail} ({Describe(leaf)})");
    }

    private CertificateProblem NameMismatch(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            names.AddRange(san.EnumerateDnsNames());
            names.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        var listed = names.Count > 0 ? string.Join(", ", names) : $"none: no subject alternative names, {certificate.Subject}";
        return new CertificateProblem(CertificateProblemKind.NameMismatch,
            $"certificate name mismatch: '{_targetHost ?? "?"}' is not in its names ({listed})");
    }

    private static string Describe(X509Certificate2 certificate) => $"{certificate.Subject}, issued by {certificate.Issuer}";

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<SslApplicationProtocol>? Protocols(IReadOnlyList<string> names)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }

        var protocols = new List<SslApplicationProtocol>(names.Count);
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > 255)
            {
                throw new ArgumentException($"an ALPN protocol name is 1 to 255 bytes (got '{name}')", nameof(names));
            }

            protocols.Add(new SslApplicationProtocol(name));
        }

        return protocols;
    }
}
