using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Sockit.Framing;

namespace Sockit.Load;

internal sealed partial class EchoConnection
{
    // Reads replies, cuts them into frames and checks each one; frees window slots and wakes the send loop.
    private async Task ReceiveLoopAsync()
    {
        var start = 0;
        var end = 0;
        try
        {
            while (!(_senderDone && _completed == Volatile.Read(ref _sent)))
            {
                var n = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    OnEndOfStream(end - start);
                    return;
                }

                end += n;
                var now = Stopwatch.GetTimestamp();
                var buffer = new ReadOnlySequence<byte>(_receiveBuffer, start, end - start);
                FrameStatus status;
                while ((status = _decoder.Decode(ref buffer, out var frame)) == FrameStatus.Frame)
                {
                    Check(frame.FirstSpan, now);
                }

                FlushLatency();

                if (status == FrameStatus.Invalid)
                {
                    _corrupted++;
                    Fail("bad reply frame: " + _decoder.Error!.Message);
                    return;
                }

                start = end - (int)buffer.Length;
                if (start == end)
                {
                    start = end = 0;
                }
                else if (_receiveBuffer.Length - end < _receiveBuffer.Length / 2)
                {
                    // Less than one frame is left: move it to the front so the next receive has room.
                    Buffer.BlockCopy(_receiveBuffer, start, _receiveBuffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                _windowOpened.Set();
            }
        }
        catch (Exception ex)
        {
            Fail(Describe(ex));
        }
        finally
        {
            _receiverDone = true;
            _windowOpened.Set();
        }
    }

    private void OnEndOfStream(int leftover)
    {
        if (leftover > 0)
        {
            _corrupted++;
            Fail($"the server closed the connection inside a reply ({leftover} byte(s) left over)");
        }
        else if (!_senderDone || _completed != Volatile.Read(ref _sent))
        {
            Fail("the server closed the connection");
        }
    }

    private void Check(ReadOnlySpan<byte> reply, long now)
    {
        // The common case, in order and intact, is one vectorized compare against the expected message; anything
        // else takes the slow path that works out what went wrong.
        if (reply.SequenceEqual(_expected) && _highest + 1 < Volatile.Read(ref _sent) && _low == _highest + 1)
        {
            _highest++;
            _low++;
            Volatile.Write(ref _completed, _completed + 1);
            CountVerified(_highest, now);
            Volatile.Write(ref _low, _low);
            EchoMessage.IncrementSequence(_expected);
            return;
        }

        CheckSlow(reply, now);
        EchoMessage.WriteHeader(_expected, _id, _highest + 1);
    }

    private void CheckSlow(ReadOnlySpan<byte> reply, long now)
    {
        if (reply.Length != _template.Length
            || !EchoMessage.TryReadHeader(reply, out var id, out var sequence)
            || id != _id
            || sequence < _low
            || sequence >= Volatile.Read(ref _sent)
            || _answered[sequence & _mask])
        {
            // Unattributable (or a duplicate): its message, if any, stays unanswered and ends up lost.
            Volatile.Write(ref _corrupted, _corrupted + 1);
            return;
        }

        _answered[sequence & _mask] = true;
        Volatile.Write(ref _completed, _completed + 1);
        if (!EchoMessage.FillMatches(reply, _template))
        {
            Volatile.Write(ref _corrupted, _corrupted + 1);
        }
        else
        {
            if (sequence < _highest)
            {
                Volatile.Write(ref _reordered, _reordered + 1);
            }

            CountVerified(sequence, now);
        }

        _highest = Math.Max(_highest, sequence);
        Advance();
    }

    private void CountVerified(long sequence, long now)
    {
        Volatile.Write(ref _verified, _verified + 1);
        if (!_phase.IsMeasured(now))
        {
            return;
        }

        // Replies of one receive that were sent in one batch share a latency: recorded once, with a count.
        var latency = Math.Max(0, Microseconds(_sendTimes[sequence & _mask], now));
        if (latency != _pendingLatency)
        {
            FlushLatency();
            _pendingLatency = latency;
        }

        _pendingCount++;
        Volatile.Write(ref _measured, _measured + 1);
    }

    private void FlushLatency()
    {
        if (_pendingCount > 0)
        {
            _latency.RecordValueWithCount(Math.Min(_pendingLatency, EchoLoadGenerator.HighestLatency), _pendingCount);
            _pendingCount = 0;
        }
    }

    // Moves the low edge past answered messages, declaring lost any message overtaken by more than a window of
    // later replies: an echo keeps order, and even a reordering one cannot hold a reply back that long.
    private void Advance()
    {
        var low = _low;
        while (low <= _highest)
        {
            var slot = low & _mask;
            if (_answered[slot])
            {
                _answered[slot] = false;
            }
            else if (low < _highest - _depth)
            {
                Volatile.Write(ref _lost, _lost + 1);
                Volatile.Write(ref _completed, _completed + 1);
            }
            else
            {
                break;
            }

            low++;
        }

        Volatile.Write(ref _low, low);
    }
}
