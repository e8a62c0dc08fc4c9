namespace Sockit.Connections.Internal;

/// <summary>
/// Milliseconds on a monotonic clock, the unit every connection timestamp (last activity, last send, frame started)
/// and the server's heartbeat compare in. The system clock is <see cref="Environment.TickCount64"/> (cheap on the hot
/// path, and what callers outside a server pass as "now"); any other <see cref="TimeProvider"/> (a test's
/// <c>FakeTimeProvider</c>) is read through its timestamps, so advancing it moves every connection's clock.
/// </summary>
internal static class MonotonicClock
{
    public static long Milliseconds(this TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) ? Environment.TickCount64 : (long)time.GetElapsedTime(0, time.GetTimestamp()).TotalMilliseconds;
}
