using System.Buffers;
using System.Globalization;
using System.Text;
using Sockit.Framing;

namespace Sockit.Services;

/// <summary>
/// The protocol inspector of <c>sockit forward --framing SPEC</c>: decodes each direction of one forwarded
/// connection with its own decoder, on a copy of the bytes, and writes one line per message:
/// <c>HH:mm:ss.ffffff #ID client>target length=N "preview"</c> (UTC; the preview is the first
/// <see cref="PreviewBytes"/> bytes, printable ASCII as is, <c>\n \r \t \" \\</c> escaped, other bytes as <c>\xHH</c>,
/// and <c>...</c> after it when the message is longer). A direction's end prints <c>FIN</c> or <c>reset</c>.
/// </summary>
/// <remarks>
/// The inspector never changes or delays the traffic: a bad frame (oversize, malformed, or cut short by the end of
/// the stream) prints <c>bad frame: WHY; relayed unchanged, no longer decoded</c> and that direction is no longer
/// decoded, while the bytes go on being relayed. Memory: a partial message is held until it completes, at most
/// <see cref="FramingOptions.MaxFrameSize"/> plus its header per direction, since the decoder fails past that.
/// Each direction's calls must not overlap (as <see cref="IRelayObserver"/> promises); <c>writeLine</c> may be called
/// from both directions at once and must be thread-safe.
/// </remarks>
public sealed class FrameInspector : IRelayObserver
{
    /// <summary>How many bytes of each message the preview shows: 64.</summary>
    public const int PreviewBytes = 64;

    private readonly long _id;
    private readonly Action<string> _writeLine;
    private readonly TimeProvider _time;
    private readonly DirectionState[] _directions;

    /// <summary>An inspector for the forwarded connection <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The id shown as <c>#ID</c> (<see cref="ForwardSession.Id"/>).</param>
    /// <param name="spec">How messages are cut, the same vocabulary as everywhere (<see cref="FrameSpec.Parse"/>).</param>
    /// <param name="framing">The maximum frame size and bad-frame policy (default <see cref="FramingOptions.Default"/>).</param>
    /// <param name="writeLine">Receives each line, without a line end.</param>
    /// <param name="time">The clock for the time stamps (default <see cref="TimeProvider.System"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> or <paramref name="writeLine"/> is null.</exception>
    public FrameInspector(long sessionId, FrameSpec spec, FramingOptions? framing, Action<string> writeLine, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _id = sessionId;
        _writeLine = writeLine ?? throw new ArgumentNullException(nameof(writeLine));
        _time = time ?? TimeProvider.System;
        _directions = [new(spec.CreateDecoder(framing)), new(spec.CreateDecoder(framing))];
    }

    /// <inheritdoc />
    public void OnData(RelayDirection direction, long offset, in ReadOnlySequence<byte> data)
    {
        var state = _directions[(int)direction];
        if (state.Stopped)
        {
            return;
        }

        var input = state.Append(data);
        var rest = input;
        while (true)
        {
            var status = state.Decoder.Decode(ref rest, out var frame);
            if (status == FrameStatus.Frame)
            {
                Write(direction, $"length={frame.Length} \"{Preview(frame)}\"{(frame.Length > PreviewBytes ? "..." : "")}");
                continue;
            }

            if (status == FrameStatus.Invalid)
            {
                Stop(direction, state, state.Decoder.Error?.Message ?? "invalid frame");
                return;
            }

            break;
        }

        state.Keep(rest);
    }

    /// <inheritdoc />
    public void OnEnd(RelayDirection direction, bool clean)
    {
        var state = _directions[(int)direction];
        if (clean && !state.Stopped && state.Decoder.CheckEndOfStream(state.Pending) is { } error)
        {
            Stop(direction, state, error.Message);
        }

        state.Release();
        Write(direction, clean ? "FIN" : "reset");
    }

    /// <summary>
    /// The preview of a message: its first <see cref="PreviewBytes"/> bytes, printable ASCII as is, <c>\n \r \t \" \\</c>
    /// escaped, other bytes as <c>\xHH</c>.
    /// </summary>
    public static string Preview(in ReadOnlySequence<byte> frame)
    {
        var sb = new StringBuilder();
        var reader = new SequenceReader<byte>(frame.Slice(0, Math.Min(frame.Length, PreviewBytes)));
        while (reader.TryRead(out var b))
        {
            _ = b switch
            {
                (byte)'\n' => sb.Append("\\n"),
                (byte)'\r' => sb.Append("\\r"),
                (byte)'\t' => sb.Append("\\t"),
                (byte)'"' => sb.Append("\\\""),
                (byte)'\\' => sb.Append("\\\\"),
                >= 0x20 and < 0x7F => sb.Append((char)b),
                _ => sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            };
        }

        return sb.ToString();
    }

    private void Stop(RelayDirection direction, DirectionState state, string why)
    {
        state.Stopped = true;
        state.Release();
        Write(direction, $"bad frame: {why}; relayed unchanged, no longer decoded");
    }

    private void Write(RelayDirection direction, string text) =>
        _writeLine(string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():HH:mm:ss.ffffff} #{_id} {direction.ToLabel()} {text}"));

    /// <summary>One direction: its decoder and the bytes of a message not complete yet (a pooled array).</summary>
    private sealed class DirectionState(FrameDecoder decoder)
    {
        private byte[] _pending = [];
        private int _length;

        public FrameDecoder Decoder { get; } = decoder;

        public bool Stopped { get; set; }

        public ReadOnlySequence<byte> Pending => new(_pending, 0, _length);

        /// <summary>The bytes to decode: <paramref name="data"/> itself when nothing is pending, else pending + data.</summary>
        public ReadOnlySequence<byte> Append(in ReadOnlySequence<byte> data)
        {
            if (_length == 0)
            {
                return data;
            }

            Reserve(_length + data.Length);
            data.CopyTo(_pending.AsSpan(_length));
            _length += (int)data.Length;
            return Pending;
        }

        /// <summary>Keeps <paramref name="rest"/> (what the decoder left) for the next call; it may lie in the pending array.</summary>
        public void Keep(in ReadOnlySequence<byte> rest)
        {
            if (rest.Length > _pending.Length)
            {
                Reserve(rest.Length);
            }

            rest.CopyTo(_pending); // Overlapping copies move correctly (memmove).
            _length = (int)rest.Length;
        }

        public void Release()
        {
            if (_pending.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = [];
            _length = 0;
        }

        private void Reserve(long size)
        {
            if (size <= _pending.Length)
            {
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(size, _pending.Length * 2L), Array.MaxLength));
            var length = _length;
            _pending.AsSpan(0, length).CopyTo(bigger);
            Release();
            (_pending, _length) = (bigger, length);
        }
    }
}
