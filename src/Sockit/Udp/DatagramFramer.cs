using System.Buffers;
using Sockit.Framing;

namespace Sockit.Udp;

/// <summary>
/// Applies a framing inside each datagram. UDP keeps message boundaries, so the default (<c>raw</c>) is one
/// datagram = one message; <c>line</c> splits a datagram into lines (the datagram's end also ends its last line),
/// <c>length</c> and the others read frames packed into one datagram. No frame spans two datagrams.
/// </summary>
/// <remarks>
/// Messages are slices of the datagram: nothing is copied or allocated for a well-formed datagram. A datagram that
/// breaks the framing (an oversize frame, a frame cut by the datagram's end) yields the frames before the break
/// and sets <see cref="LastError"/>; the next datagram starts afresh. Not thread-safe: one per receive loop.
/// </remarks>
public sealed class DatagramFramer
{
    private readonly byte[] _delimiter;
    private FrameDecoder _decoder;
    private long _skippedByEarlierDecoders;

    /// <summary>Creates a framer for <paramref name="spec"/>.</summary>
    /// <param name="spec">The framing inside a datagram; <see cref="FrameSpec.Raw"/> keeps each datagram whole.</param>
    /// <param name="options">Frame size limit and bad-frame policy; <see cref="FramingOptions.Default"/> when null.</param>
    public DatagramFramer(FrameSpec spec, FramingOptions? options = null)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Options = options ?? FramingOptions.Default;
        _delimiter = spec.Delimiter.ToArray();
        _decoder = spec.CreateDecoder(Options);
    }

    /// <summary>The framing applied.</summary>
    public FrameSpec Spec { get; }

    /// <summary>The frame size limit and bad-frame policy in force.</summary>
    public FramingOptions Options { get; }

    /// <summary>Why the datagram most recently split broke off early; <see langword="null"/> when it was well formed.</summary>
    public FrameError? LastError { get; private set; }

    /// <summary>Oversize frames discarded under <see cref="BadFramePolicy.Skip"/> so far.</summary>
    public long SkippedFrames => _skippedByEarlierDecoders + _decoder.SkippedFrames;

    /// <summary>The messages in <paramref name="datagram"/>, for <c>foreach</c>; each is a slice of it.</summary>
    public DatagramMessages Split(ReadOnlyMemory<byte> datagram)
    {
        LastError = null;
        if (Spec.Kind == FrameKind.Raw)
        {
            return new DatagramMessages(this, default, datagram, wholeDatagram: true);
        }

        if (_delimiter.Length == 0)
        {
            return new DatagramMessages(this, new ReadOnlySequence<byte>(datagram), default, wholeDatagram: false);
        }

        // The decoder sees everything up to the last delimiter, so it always stops clean on a frame boundary;
        // what follows is the last message, ended by the datagram itself.
        var last = datagram.Span.LastIndexOf(_delimiter);
        var body = last < 0 ? 0 : last + _delimiter.Length;
        return new DatagramMessages(this, new ReadOnlySequence<byte>(datagram[..body]), datagram[body..], wholeDatagram: false);
    }

    internal bool TryNext(ref ReadOnlySequence<byte> body, ref ReadOnlyMemory<byte> tail, out ReadOnlyMemory<byte> message)
    {
        message = default;
        if (!body.IsEmpty)
        {
            var status = _decoder.Decode(ref body, out var frame);
            if (status == FrameStatus.Frame)
            {
                message = frame.First;
                return true;
            }

            // The decoder now holds state about this datagram (a partial frame, an error, bytes still to skip):
            // the next datagram gets a fresh one. Only a malformed datagram pays for that allocation.
            LastError = status == FrameStatus.Invalid ? _decoder.Error : _decoder.CheckEndOfStream(body);
            _skippedByEarlierDecoders += _decoder.SkippedFrames;
            _decoder = Spec.CreateDecoder(Options);
            body = default;
            if (LastError is not null)
            {
                tail = default;
                return false;
            }
        }

        if (tail.IsEmpty)
        {
            return false;
        }

        var last = tail;
        tail = default;
        if (last.Length > Options.MaxFrameSize)
        {
            if (Options.OnBadFrame == BadFramePolicy.Skip)
            {
                _skippedByEarlierDecoders++;
            }
            else
            {
                LastError = new FrameError(FrameErrorKind.Oversize, (ulong)last.Length,
                    $"{last.Length} bytes without a delimiter exceeds the maximum frame size of {Options.MaxFrameSize} bytes ({Spec} framing)");
            }

            return false;
        }

        message = last;
        return true;
    }
}
