using System.Text.Json.Serialization;
using Sockit.Files;

namespace Sockit.Cli.Output.Json;

/// <summary>
/// <c>sockit send --json</c> (one indented document) and <c>sockit receive --json</c> (one line per session, NDJSON):
/// a transfer's totals and every entry that was not verified.
/// </summary>
/// <param name="Peer">receive: the sender's address (<c>127.0.0.1:50312</c>); absent on send and on a raw receive.</param>
/// <param name="Ok">True when no entry failed and the session did not stop early (skipped entries do not count against it).</param>
/// <param name="Verified">Entries (files and directories) written and checked by SHA-256.</param>
/// <param name="Failed">Entries refused or failed.</param>
/// <param name="Skipped">Entries the sender did not send (symbolic links, special files found in a tree).</param>
/// <param name="Bytes">File bytes transferred.</param>
/// <param name="Seconds">The session's duration, seconds (6 decimals).</param>
/// <param name="BytesPerSecond">Bytes over seconds, whole bytes per second.</param>
/// <param name="Sha256">Raw mode (<c>--raw</c>): the SHA-256 of the bytes, lower-case hex; else absent.</param>
/// <param name="Error">Why the session stopped early, null when it did not.</param>
/// <param name="Problems">Every entry that was not verified.</param>
internal sealed record TransferDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Peer,
    bool Ok,
    long Verified,
    long Failed,
    long Skipped,
    long Bytes,
    double Seconds,
    double BytesPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sha256,
    string? Error,
    IReadOnlyList<TransferProblem> Problems)
{
    public static TransferDocument From(TransferSummary s, IEnumerable<FileOutcome> notVerified, string? peer = null, string? sha256 = null) => new(
        peer,
        s.Succeeded,
        s.Verified,
        s.Failed,
        s.Skipped,
        s.Bytes,
        Math.Round(s.Elapsed.TotalSeconds, 6),
        Math.Round(s.BytesPerSecond),
        sha256,
        s.Error,
        [.. notVerified.Select(o => new TransferProblem(
            o.Name, o.Kind == FileEntryKind.Directory ? "directory" : "file", o.Status.ToString().ToLowerInvariant(), o.Reason))]);
}

/// <summary>An entry that was not verified.</summary>
/// <param name="Name">Its relative name, <c>/</c>-separated.</param>
/// <param name="Kind"><c>file</c> or <c>directory</c>.</param>
/// <param name="Status"><c>refused</c> (the receiver would not take it), <c>failed</c> (it broke under way) or <c>skipped</c> (a symbolic link or special file the sender left out).</param>
/// <param name="Reason">Why, in words.</param>
internal sealed record TransferProblem(string Name, string Kind, string Status, string Reason);
