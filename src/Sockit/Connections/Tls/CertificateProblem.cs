namespace Sockit.Connections;

/// <summary>
/// Why a peer's certificate was rejected: a <see cref="Kind"/> to act on and a one-line <see cref="Message"/> for
/// people, e.g. <c>certificate not trusted: untrusted root (CN=foo, issued by CN=bar)</c> or
/// <c>certificate name mismatch: 'example.com' is not in its names (localhost, 127.0.0.1)</c>.
/// </summary>
/// <param name="Kind">The class of problem.</param>
/// <param name="Message">One line, no trailing period, naming the certificate involved.</param>
public sealed record CertificateProblem(CertificateProblemKind Kind, string Message)
{
    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
