namespace Sockit.Connections;

/// <summary>Why a peer's certificate was rejected, in the classes people act on.</summary>
public enum CertificateProblemKind
{
    /// <summary>The chain does not end at a trusted root: self-signed, signed by an unknown CA, or an
    /// intermediate is missing (<see cref="System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.UntrustedRoot"/>,
    /// <see cref="System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.PartialChain"/>).</summary>
    UntrustedRoot,

    /// <summary>The name asked for is not among the certificate's subject alternative names (RFC 6125).</summary>
    NameMismatch,

    /// <summary>A certificate in the chain is outside its validity period: expired, or not valid yet
    /// (<see cref="System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.NotTimeValid"/>).</summary>
    Expired,

    /// <summary>The certificate's SHA-256 is not the pinned one.</summary>
    PinMismatch,

    /// <summary>The peer presented no certificate (a server always must; a client must when mutual TLS is on).</summary>
    Missing,

    /// <summary>Anything else: bad signature, wrong key usage, revoked, policy errors.</summary>
    Other,
}
