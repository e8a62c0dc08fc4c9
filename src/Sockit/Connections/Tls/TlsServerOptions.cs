using System.Security.Cryptography.X509Certificates;

namespace Sockit.Connections;

/// <summary>
/// What a TLS server presents and whom it accepts. <see cref="TlsVerifier.ServerAuthentication"/> turns these into
/// <see cref="System.Net.Security.SslServerAuthenticationOptions"/>.
/// </summary>
public sealed record TlsServerOptions
{
    /// <summary>The server certificate, with its private key (see <see cref="TlsCertificates.Load"/> and
    /// <see cref="TlsCertificates.CreateSelfSigned"/>). Required.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Mutual TLS (<c>--client-ca</c>): when set, every client must present a certificate that chains to
    /// one of these roots (custom root trust, extended key usage clientAuth); handshakes without one fail. Null (the
    /// default) asks for no client certificate.</summary>
    public X509Certificate2Collection? ClientAuthorities { get; init; }

    /// <summary>ALPN protocol names accepted, most preferred first. Default empty: ALPN is not negotiated.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>How long a client's handshake may take before it is dropped. Default 10 seconds. Not applied by the
    /// options builders; the connection code cancels the handshake with it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
