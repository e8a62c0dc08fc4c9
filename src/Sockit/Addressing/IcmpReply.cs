using System.Net;
using System.Net.NetworkInformation;

namespace Sockit.Addressing;

/// <summary>The answer to one ICMP echo request.</summary>
/// <param name="Status">Success, TimedOut, DestinationHostUnreachable…</param>
/// <param name="From">Who answered (the target, or a router reporting an error); null when nobody did.</param>
/// <param name="RoundTrip">Measured around the send, so it includes a few microseconds of local overhead.</param>
/// <param name="Ttl">The reply's time to live when the platform reports it, else null.</param>
/// <param name="Bytes">The echoed payload size.</param>
public sealed record IcmpReply(IPStatus Status, IPAddress? From, TimeSpan RoundTrip, int? Ttl, int Bytes)
{
    /// <summary>True when the target answered.</summary>
    public bool Succeeded => Status == IPStatus.Success;
}
