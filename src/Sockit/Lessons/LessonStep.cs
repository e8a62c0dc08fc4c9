namespace Sockit.Lessons;

/// <summary>One socket call made by a lesson, with the kernel's TCP states just after it.</summary>
/// <param name="Time">When the call returned.</param>
/// <param name="Actor"><c>server</c> or <c>client</c>.</param>
/// <param name="Call">The call as the course writes it, e.g. <c>connect(('127.0.0.1', 40000))</c>.</param>
/// <param name="Result">What it returned or raised.</param>
/// <param name="States">The TCP states read from the kernel right after the call.</param>
/// <param name="Note">What the step shows, or null.</param>
public sealed record LessonStep(
    DateTimeOffset Time,
    string Actor,
    string Call,
    string Result,
    IReadOnlyList<SocketStateReading> States,
    string? Note = null);
