using System.Buffers;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using HdrHistogram;
using Sockit.Connections;
using Sockit.Framing;

namespace Sockit.Load;

/// <summary>
/// One bench connection: a send loop that keeps the window of <c>depth</c> messages full, writing every free
/// slot in one send, and a receive loop that cuts replies into frames, checks each one and times it.
/// Nothing is allocated per message: the send buffer, the receive buffer and the in-flight ring are reused.
/// Both loops use the transport's <see cref="Stream"/>: a <see cref="NetworkStream"/> (TCP, Unix) or an
/// <see cref="SslStream"/> over one (TLS, which at the end sends close_notify before the FIN). Driving the socket
/// directly for plaintext measured the same client CPU per message (within this machine's noise), so there is one path.
/// </summary>
/// <remarks>
/// Sequence numbers map to ring slots (<c>seq &amp; mask</c>); the ring holds four windows, so a slot is never
/// reused while its message can still be answered. The send loop only writes <see cref="_sent"/> and the
/// timestamps of slots it is about to send; the receive loop only writes <see cref="_completed"/>,
/// <see cref="_low"/> and the counters. Both read the other's field with <see cref="Volatile"/>.
/// </remarks>
internal sealed partial class EchoConnection : IDisposable
{
    // The send buffer holds at most this much: deep windows of big messages go out in several sends.
    private const int MaxSendBatchBytes = 4 << 20;

    private readonly string _endpoint;
    private readonly EchoTransport _transport;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly int _id;
    private readonly int _depth;
    private readonly LoadPhase _phase;
    private readonly HistogramBase _latency;
    private readonly FrameDecoder _decoder;
    private readonly byte[] _template;
    private readonly EchoFrame _next;
    private readonly EchoFrame _expected;
    private readonly byte[] _sendBuffer;
    private readonly int _batchFrames;
    private readonly byte[] _receiveBuffer;
    private readonly long[] _sendTimes;
    private readonly bool[] _answered;
    private readonly long _mask;
    private readonly AsyncSignal _windowOpened = new();

    // Written by the send loop.
    private long _sent;
    private volatile bool _senderDone;

    // Written by the receive loop.
    private long _completed;
    private long _low;
    private long _highest = -1;
    private long _measured;
    private long _verified;
    private long _lost;
    private long _reordered;
    private long _corrupted;
    private bool _decoderMidFrame;
    private long _pendingSendTime = -1;
    private long _pendingLatency;
    private long _pendingCount;
    private volatile bool _receiverDone;

    private string? _error;

    public EchoConnection(EchoTransport transport, int id, EchoLoadOptions options, LoadPhase phase, HistogramBase latency)
    {
        _transport = transport;
        _socket = transport.Socket;
        _stream = transport.Stream;
        _id = id;
        _endpoint = options.Endpoint.ToString();
        _depth = options.Depth;
        _phase = phase;
        _latency = latency;
        var spec = options.Framing;

        // A raw echo has no boundaries: replies are cut every message-size bytes. Anything longer than a message
        // is wrong, so the decoder's limit is the message size.
        var replies = spec.Kind == FrameKind.Raw ? FrameSpec.Fixed(options.MessageSize) : spec;
        _decoder = replies.CreateDecoder(new FramingOptions { MaxFrameSize = options.MessageSize });
        _template = EchoMessage.CreateTemplate(options.MessageSize);
        _next = new EchoFrame(spec, id, options.MessageSize);
        _expected = new EchoFrame(spec, id, options.MessageSize);

        // Every frame of the window is laid out once; a batch only patches sequence digits.
        var frame = _next.Bytes.Length;
        _batchFrames = Math.Clamp(MaxSendBatchBytes / frame, 1, _depth);
        _sendBuffer = new byte[_batchFrames * frame];
        for (var i = 0; i < _batchFrames; i++)
        {
            _next.Bytes.CopyTo(_sendBuffer, i * frame);
        }

        _receiveBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(16 << 10, (int)Math.Min((long)frame * _depth, 256 << 10) + frame));
        var ring = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, _depth * 4));
        _sendTimes = new long[ring];
        _answered = new bool[ring];
        _mask = ring - 1;
    }

    /// <summary>Replies checked and found right, in the measured window.</summary>
    public long Measured => Volatile.Read(ref _measured);

    /// <summary>Replies checked and found right, warm-up and drain included.</summary>
    public long Verified => Volatile.Read(ref _verified);

    /// <summary>Messages sent.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Messages never answered: overtaken by more than a window of later replies, or still missing at the end.</summary>
    public long Lost => Volatile.Read(ref _lost) + (_receiverDone ? Sent - Volatile.Read(ref _completed) : 0);

    /// <summary>Replies that came back after a reply to a later message.</summary>
    public long Reordered => Volatile.Read(ref _reordered);

    /// <summary>Replies of the wrong size, with an unreadable or foreign header, a sequence number never sent or
    /// already answered, or a changed fill.</summary>
    public long Corrupted => Volatile.Read(ref _corrupted);

    /// <summary>Why the connection failed before the end, or <see langword="null"/>.</summary>
    public string? Error => Volatile.Read(ref _error);

    /// <summary>Runs both loops until the load stops and the window drains, or the connection fails. Never throws.</summary>
    public Task RunAsync() => Task.WhenAll(ReceiveLoopAsync(), SendLoopAsync());

    /// <summary>Closes the socket under the loops (drain timeout or cancellation) and wakes the send loop.</summary>
    public void Abort()
    {
        _socket.Dispose();
        _windowOpened.Set();
    }

    /// <summary>Wakes the send loop so it sees that the load is stopping.</summary>
    public void Wake() => _windowOpened.Set();

    public void Dispose()
    {
        _transport.Dispose();
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
    }

    private void Fail(string message)
    {
        if (!_phase.Aborted)
        {
            Interlocked.CompareExchange(ref _error, $"connection {_id}: {message}", null);
        }
    }

    // Socket errors in the words the rest of Sockit uses ("connection reset by peer"), not the runtime's.
    private string Describe(Exception ex) => ex switch
    {
        SocketException se => ConnectionException.From(se.SocketErrorCode, _endpoint, "talk to", se).Message,
        IOException { InnerException: SocketException se } => ConnectionException.From(se.SocketErrorCode, _endpoint, "talk to", se).Message,
        System.Security.Authentication.AuthenticationException => "TLS: " + ex.Message,
        ObjectDisposedException => "the connection was closed",
        _ => ex.Message,
    };
}
