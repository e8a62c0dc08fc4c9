using System.Globalization;
using Sockit.Files;

namespace Sockit.Cli.Output;

/// <summary>What <c>send</c> and <c>receive</c> print: one line per entry that was not verified, one summary line (<c>--json</c>: <see cref="Json.TransferDocument"/>).</summary>
internal static class TransferReport
{
    /// <summary><c>NAME: refused: reason</c>, for an entry that was not verified (with the peer first on a receiver).</summary>
    public static string EntryLine(FileOutcome outcome, string? peer = null) =>
        (peer is null ? "" : peer + ": ") + outcome.Name + (outcome.Kind == FileEntryKind.Directory ? "/" : "") + ": "
        + outcome.Status switch
        {
            FileOutcomeStatus.Verified => $"verified ({Size(outcome.Bytes)}{(outcome.ResumedAt > 0 ? $", resumed at byte {outcome.ResumedAt}" : "")})",
            FileOutcomeStatus.Skipped => "skipped, " + outcome.Reason,
            _ => outcome.Reason,
        };

    /// <summary>The one summary line: <c>sent 12 of 12 entries verified, 1.00 GiB in 2.10 s (487.6 MiB/s), 0 failed</c>.</summary>
    public static string SummaryLine(string verb, TransferSummary s, string? peer = null) =>
        (peer is null ? "" : peer + ": ")
        + string.Create(CultureInfo.InvariantCulture, $"{verb} {s.Verified} of {s.Verified + s.Failed} entries verified, {Size(s.Bytes)} in {s.Elapsed.TotalSeconds:0.00} s ({Size((long)s.BytesPerSecond)}/s), {s.Failed} failed")
        + (s.Skipped > 0 ? $", {s.Skipped} skipped" : "")
        + (s.Error is null ? "" : $"; stopped early: {s.Error}");

    /// <summary>Bytes for people: <c>512 B</c>, <c>1.5 KiB</c>, <c>1.00 GiB</c>.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.00} GiB"),
    };
}
