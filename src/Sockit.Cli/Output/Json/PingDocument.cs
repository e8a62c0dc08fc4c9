using System.Text.Json.Serialization;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit ping HOST --json</c>: every probe and the summary, printed once when the run ends (after
/// <c>-c N</c> probes, or on Ctrl-C). Times are milliseconds rounded to the microsecond.</summary>
/// <param name="Host">The host as given.</param>
/// <param name="Address">The address probed.</param>
/// <param name="Mode"><c>icmp</c> (echo request) or <c>tcp</c> (time of a TCP connect, with <c>-p</c>).</param>
/// <param name="Port">TCP mode: the port; absent in ICMP mode.</param>
/// <param name="Probes">Every probe, in order.</param>
/// <param name="Sent">Probes sent.</param>
/// <param name="Received">Probes answered (an echo reply, or a completed connect).</param>
/// <param name="LossPercent">Unanswered probes in percent, one decimal.</param>
/// <param name="MinMs">Fastest answer, ms (0 when none).</param>
/// <param name="AvgMs">Mean answer time, ms.</param>
/// <param name="MaxMs">Slowest answer, ms.</param>
/// <param name="MdevMs">Mean deviation of the answer times, ms (as ping's mdev).</param>
/// <param name="ElapsedMs">The whole run, whole ms.</param>
internal sealed record PingDocument(
    string Host,
    string Address,
    string Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port,
    IReadOnlyList<PingProbe> Probes,
    int Sent,
    int Received,
    double LossPercent,
    double MinMs,
    double AvgMs,
    double MaxMs,
    double MdevMs,
    double ElapsedMs);

/// <summary>One probe of <see cref="PingDocument"/>.</summary>
/// <param name="Seq">Its sequence number, from 1.</param>
/// <param name="Answered">True when it was answered.</param>
/// <param name="Status"><c>reply</c> (ICMP) or <c>open</c> (TCP) when answered; else <c>timed-out</c>, <c>closed</c> (TCP: refused),
/// another ICMP status in the same kebab-case (<c>destination-host-unreachable</c>), or <c>error:</c> and the socket error.</param>
/// <param name="TimeMs">Time to the answer (or to giving up), ms.</param>
/// <param name="Ttl">ICMP: the reply's time-to-live when the system reports it; else absent.</param>
internal sealed record PingProbe(
    int Seq,
    bool Answered,
    string Status,
    double TimeMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Ttl);
