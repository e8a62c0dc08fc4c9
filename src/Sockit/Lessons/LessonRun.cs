using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>What a socket lesson did and saw: its calls with the kernel's TCP states, and the segments captured.</summary>
/// <param name="Steps">The socket calls, in order.</param>
/// <param name="Segments">The TCP segments of the lesson's connections, in order; empty when capture was not allowed.</param>
/// <param name="Capture">Whether segments were captured, or why not (one line).</param>
public sealed record LessonRun(IReadOnlyList<LessonStep> Steps, IReadOnlyList<TracedSegment> Segments, string Capture)
{
    /// <summary>True when the segments were captured (the process had CAP_NET_RAW).</summary>
    public bool Captured => Capture == LessonCapture.Running;

    /// <summary>Calls and segments merged in time order (kernel receive times against the calls' return times).</summary>
    public IReadOnlyList<(DateTimeOffset Time, LessonStep? Step, TracedSegment? Segment)> Timeline() =>
        Steps.Select(s => (s.Time, (LessonStep?)s, (TracedSegment?)null))
            .Concat(Segments.Select(s => (s.Time, (LessonStep?)null, (TracedSegment?)s)))
            .OrderBy(e => e.Item1)
            .ToList();
}
