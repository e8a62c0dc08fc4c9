using System.Buffers;

namespace Sockit.Udp;

/// <summary>The messages of one datagram, from <see cref="DatagramFramer.Split"/>: a <c>foreach</c>-able struct, no allocation.</summary>
/// <remarks>Valid while the datagram's buffer is; enumerate it once, before splitting the next datagram.</remarks>
public struct DatagramMessages : IEquatable<DatagramMessages>
{
    private readonly DatagramFramer _framer;
    private ReadOnlySequence<byte> _body;
    private ReadOnlyMemory<byte> _tail;
    private bool _wholeDatagram;

    internal DatagramMessages(DatagramFramer framer, ReadOnlySequence<byte> body, ReadOnlyMemory<byte> tail, bool wholeDatagram)
    {
        _framer = framer;
        _body = body;
        _tail = tail;
        _wholeDatagram = wholeDatagram;
        Current = default;
    }

    /// <summary>The current message.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Returns this enumerator, so a <c>foreach</c> can run over it.</summary>
    public readonly DatagramMessages GetEnumerator() => this;

    /// <summary>Moves to the next message; false when the datagram is used up or broke the framing.</summary>
    public bool MoveNext()
    {
        if (_wholeDatagram)
        {
            // Raw: the datagram is the message, even an empty one (a zero-length datagram is still a datagram).
            _wholeDatagram = false;
            Current = _tail;
            _tail = default;
            return true;
        }

        var found = _framer.TryNext(ref _body, ref _tail, out var message);
        Current = message;
        return found;
    }

    /// <inheritdoc />
    public readonly bool Equals(DatagramMessages other) => ReferenceEquals(_framer, other._framer) && _body.Equals(other._body) && _tail.Equals(other._tail);

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is DatagramMessages other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => HashCode.Combine(_framer, _tail);

    /// <summary>Compares two enumerators.</summary>
    public static bool operator ==(DatagramMessages left, DatagramMessages right) => left.Equals(right);

    /// <summary>Compares two enumerators.</summary>
    public static bool operator !=(DatagramMessages left, DatagramMessages right) => !left.Equals(right);
}
