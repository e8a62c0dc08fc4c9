using System.Globalization;

namespace Sockit.Capture;

/// <summary>Formats a <see cref="TracedSegment"/> as one line of <c>sockit trace</c> output.</summary>
public static class TraceText
{
    /// <summary>
    /// One line: time (<c>HH:mm:ss.ffffff</c> in the time's own offset), source &gt; destination, flags, relative
    /// seq and ack, window, payload length, then the note when there is one. For example:
    /// <c>10:00:00.000100  127.0.0.1:40000       &gt; 127.0.0.1:7000         SYN      seq=0 win=65495 len=0  handshake 1/3: …</c>
    /// </summary>
    public static string Line(TracedSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return string.Create(CultureInfo.InvariantCulture, $"{segment.Time:HH:mm:ss.ffffff}  {Segment(segment)}");
    }

    /// <summary>The line without its time: endpoints, flags, relative seq and ack, window, length and the note.</summary>
    public static string Segment(TracedSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var ack = segment.Acknowledgement is { } a ? string.Create(CultureInfo.InvariantCulture, $" ack={a}") : "";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{segment.Source,-21} > {segment.Destination,-21}  {segment.Flags,-8} seq={segment.Sequence}{ack} win={segment.Window} len={segment.PayloadLength}");
        return segment.Note is null ? line : line + "  " + segment.Note;
    }
}
