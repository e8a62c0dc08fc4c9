using System.Security.Cryptography.X509Certificates;

namespace Sockit.Connections;

/// <summary>
/// How a client verifies the server (and, optionally, proves who it is). Exactly one trust rule applies, in this
/// order: <see cref="Insecure"/>, then <see cref="PinnedSha256"/>, then <see cref="TrustedAuthorities"/>, then the
/// system trust store. <see cref="TlsVerifier.ClientAuthentication"/> turns these into
/// <see cref="System.Net.Security.SslClientAuthenticationOptions"/>.
/// </summary>
public sealed record TlsClientOptions
{
    /// <summary>The name sent as SNI and verified against the server certificate's subject alternative names
    /// (RFC 6125), or null to use the host that was dialled. An IP address is checked against the IP entries and
    /// is not sent as SNI (RFC 6066 forbids it).</summary>
    public string? TargetHost { get; init; }

    /// <summary>Trust only these roots (<c>--ca</c>): the chain is built with
    /// <see cref="X509ChainTrustMode.CustomRootTrust"/>, the system store is ignored. The name is still checked.
    /// Null (the default) uses the system store.</summary>
    public X509Certificate2Collection? TrustedAuthorities { get; init; }

    /// <summary>Trust exactly the certificate whose DER has this SHA-256 (<c>--pin</c>, 32 bytes, see
    /// <see cref="TlsCertificates.TryParsePin"/>); the chain and the name are not checked (compare RFC 7469, which
    /// pins keys rather than certificates). Null (the default) for no pin.</summary>
#pragma warning disable CA1819 // a 32-byte digest is naturally an array; the record is configuration, not a live object
    public byte[]? PinnedSha256 { get; init; }
#pragma warning restore CA1819

    /// <summary>Accept any certificate, or none (<c>--insecure</c>). The connection is encrypted but the peer is
    /// not authenticated: anyone on the path can impersonate the server. Default false.</summary>
    public bool Insecure { get; init; }

    /// <summary>ALPN protocol names offered, most preferred first (e.g. <c>h2</c>, <c>http/1.1</c>). Default empty:
    /// no ALPN extension.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>A certificate with its private key to present when the server asks (mutual TLS), or null (the
    /// default) to present none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>How long the whole handshake may take before the caller gives up. Default 10 seconds. Not applied
    /// by the options builders; the connection code cancels the handshake with it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
