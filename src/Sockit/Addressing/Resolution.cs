using System.Net;

namespace Sockit.Addressing;

/// <summary>The answer to a name lookup (or, for an address, a reverse lookup).</summary>
/// <param name="Query">What was asked.</param>
/// <param name="IsReverse">True when <see cref="Query"/> was an IP address and the answer is its name (PTR).</param>
/// <param name="CanonicalName">The canonical name the resolver reported (for a reverse lookup, the PTR name).</param>
/// <param name="Aliases">Other names the resolver reported (from the hosts file or CNAMEs).</param>
/// <param name="Addresses">The addresses, in resolver order (the order a connect tries them), duplicates removed.</param>
public sealed record Resolution(string Query, bool IsReverse, string CanonicalName, IReadOnlyList<string> Aliases, IReadOnlyList<IPAddress> Addresses);
