namespace Sockit.Capture;

/// <summary>One frame received by <see cref="PacketCapture"/>.</summary>
/// <param name="Length">How many bytes of the frame were written to the caller's buffer.</param>
/// <param name="Timestamp">When the kernel received it (the socket's receive timestamp, microsecond resolution, UTC).</param>
public readonly record struct CapturedFrame(int Length, DateTimeOffset Timestamp);
