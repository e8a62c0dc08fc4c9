namespace Sockit.Services;

/// <summary>What one client sent to a <see cref="SinkService"/>.</summary>
/// <param name="Remote">The client, as logs name it (<c>127.0.0.1:5000</c>, <c>unix peer (pid 42, uid 0, gid 0)</c>).</param>
/// <param name="Bytes">Bytes received.</param>
/// <param name="Frames">Frames decoded.</param>
/// <param name="Duration">From accept to close.</param>
public sealed record SinkReport(string Remote, long Bytes, long Frames, TimeSpan Duration)
{
    /// <summary>Bytes per second over the connection's life.</summary>
    public double BytesPerSecond => Duration > TimeSpan.Zero ? Bytes / Duration.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Remote}: {Bytes} bytes, {Frames} frames in {Duration.TotalSeconds:0.###} s ({BytesPerSecond / (1 << 20):0.##} MiB/s)";
}
