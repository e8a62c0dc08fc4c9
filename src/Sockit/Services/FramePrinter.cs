using System.Buffers;
using Sockit.Framing;

namespace Sockit.Services;

/// <summary>
/// Writes received frames to a stream (stdout) whole, one at a time, so frames from different connections
/// never interleave mid-frame. <c>raw</c> bytes go out as they came; every other framing prints each
/// payload followed by a newline. Thread-safe.
/// </summary>
/// <remarks>
/// When a write fails (the reader of a pipe went away, as with <c>| head</c>), the printer records the failure in
/// <see cref="OutputError"/>, cancels <see cref="OutputClosed"/> and drops every later frame: callers printing from
/// many connections need not each handle it, and the owner stops its work when <see cref="OutputClosed"/> fires.
/// </remarks>
public sealed class FramePrinter : IDisposable
{
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly Stream _output;
    private readonly bool _appendNewLine;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _outputClosed = new();
    private IOException? _outputError;

    /// <summary>Prints frames of <paramref name="spec"/> to <paramref name="output"/>.</summary>
    public FramePrinter(Stream output, FrameSpec spec)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _appendNewLine = (spec ?? throw new ArgumentNullException(nameof(spec))).Kind != FrameKind.Raw;
    }

    /// <summary>Cancelled when a write to the output failed; from then on frames are dropped.</summary>
    public CancellationToken OutputClosed => _outputClosed.Token;

    /// <summary>The failure that closed the output, or null while it works.</summary>
    public IOException? OutputError => Volatile.Read(ref _outputError);

    /// <summary>
    /// Writes one frame (and its newline) and flushes, atomically with respect to other calls. Once the output has
    /// failed, returns at once without writing (see <see cref="OutputClosed"/>).
    /// </summary>
    public async ValueTask PrintAsync(ReadOnlySequence<byte> frame, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (OutputError is not null)
            {
                return;
            }

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
        catch (IOException ex)
        {
            Volatile.Write(ref _outputError, ex);
            await _outputClosed.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Dispose();
        _outputClosed.Dispose();
    }
}
