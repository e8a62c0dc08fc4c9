using System.Buffers;
using Sockit.Framing;

namespace Sockit.Services;

/// <summary>
/// Writes received frames to a stream (stdout) whole, one at a time, so frames from different connections
/// never interleave mid-frame. <c>raw</c> bytes go out as they came; every other framing prints each
/// payload followed by a newline. Thread-safe.
/// </summary>
public sealed class FramePrinter : IDisposable
{
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly Stream _output;
    private readonly bool _appendNewLine;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Prints frames of <paramref name="spec"/> to <paramref name="output"/>.</summary>
    public FramePrinter(Stream output, FrameSpec spec)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _appendNewLine = (spec ?? throw new ArgumentNullException(nameof(spec))).Kind != FrameKind.Raw;
    }

    /// <summary>Writes one frame (and its newline) and flushes, atomically with respect to other calls.</summary>
    public async ValueTask PrintAsync(ReadOnlySequence<byte> frame, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var segment in frame)
            {
                await _output.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }

            if (_appendNewLine)
            {
                await _output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
            }

            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
