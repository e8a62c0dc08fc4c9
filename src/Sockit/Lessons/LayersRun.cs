using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>What <see cref="LayersLesson"/> captured: one segment of a short message, layer by layer.</summary>
/// <param name="Capture">Whether the segment was captured, or why not.</param>
/// <param name="Message">The message the client sent, as text.</param>
/// <param name="Frame">The whole captured frame, link header first; null without capture.</param>
/// <param name="Layers">The frame's layers, outermost first; without capture only the application layer (what the socket calls see).</param>
public sealed record LayersRun(string Capture, string Message, byte[]? Frame, IReadOnlyList<LayerSection> Layers);
