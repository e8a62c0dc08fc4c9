using System.Globalization;
using Sockit.Files;

namespace Sockit.Cli.Output;

/// <summary>What <c>send</c> and <c>receive</c> print: one line per entry that was not verified, one summary line (<c>--json</c>: <see cref="Json.TransferDocument"/>).</summary>
internal static class TransferReport
{
    /// <summary><c>NAME: refused: reason</c>, for an entry that was not verified (with the peer first on a receiver); the name made printable.</summary>
    public static string EntryLine(FileOutcome outcome, string? peer = null) =>
        (peer is null ? "" : peer + ": ") + ReceivedName.Printable(outcome.Name) + (outcome.Kind == FileEntryKind.Directory ? "/" : "") + ": "
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

    /// <summary>
    /// The one summary line of a <c>--raw</c> transfer, which verifies nothing end to end (no header, no hash: only the
    /// bytes until a clean FIN), so it says what was carried and its SHA-256 to compare by hand:
    /// <c>received 1 file raw, got.bin: 3145733 bytes in 0.05 s (60.0 MiB/s), sha256 HEX (raw: nothing checked end to end)</c>,
    /// or, when it failed, <c>sent 0 of 1 file raw, big.iso: 1048576 bytes in 0.40 s, 1 failed; stopped early: REASON</c>.
    /// </summary>
    public static string RawSummaryLine(string verb, TransferSummary s, string name, string? sha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{verb} ")
        + (s.Succeeded && sha256 is not null
            ? string.Create(CultureInfo.InvariantCulture, $"1 file raw, {ReceivedName.Printable(name)}: {s.Bytes} bytes in {s.Elapsed.TotalSeconds:0.00} s ({Size((long)s.BytesPerSecond)}/s), sha256 {sha256} (raw: nothing checked end to end)")
            : string.Create(CultureInfo.InvariantCulture, $"0 of 1 file raw, {ReceivedName.Printable(name)}: {s.Bytes} bytes in {s.Elapsed.TotalSeconds:0.00} s, 1 failed"))
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
