using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Sockit.Framing;

namespace Sockit.Load;

internal sealed partial class EchoConnection
{
    // Reads replies, checks each one and frees window slots, then wakes the send loop once per read.
    private async Task ReceiveLoopAsync()
    {
        var start = 0;
        var end = 0;
        try
        {
            while (!(_senderDone && _completed == Volatile.Read(ref _sent)))
            {
                var n = await _stream.ReadAsync(_receiveBuffer.AsMemory(end)).ConfigureAwait(false);
                if (n == 0)
                {
                    OnEndOfStream(end - start);
                    return;
                }

                end += n;
                start = Consume(start, end, Stopwatch.GetTimestamp());
                FlushLatency();
                if (start < 0)
                {
                    return;
                }

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

    // Checks every whole reply in [start, end); returns where the unconsumed bytes start, or -1 on a framing error.
    private int Consume(int start, int end, long now)
    {
        var expected = _expected.Bytes;
        while (start < end)
        {
            var available = _receiveBuffer.AsSpan(start, end - start);
            if (!_decoderMidFrame)
            {
                // The common case, in order and intact: one vectorized compare against the next expected frame.
                if (available.Length >= expected.Length && available[..expected.Length].SequenceEqual(expected)
                    && _low == _highest + 1 && _highest + 1 < Volatile.Read(ref _sent))
                {
                    Answered(++_highest, now);
                    Volatile.Write(ref _low, _highest + 1);
                    _expected.Increment();
                    start += expected.Length;
                    continue;
                }

                if (available.Length < expected.Length && expected.AsSpan().StartsWith(available))
                {
                    return start; // the start of the expected frame: wait for the rest
                }
            }

            // Anything else goes through the decoder, which finds the frame whatever is wrong inside it.
            var buffer = new ReadOnlySequence<byte>(_receiveBuffer, start, end - start);
            switch (_decoder.Decode(ref buffer, out var frame))
            {
                case FrameStatus.Frame:
                    _decoderMidFrame = false;
                    Check(frame.FirstSpan, now);
                    _expected.Set(_highest + 1);
                    start = end - (int)buffer.Length;
                    break;
                case FrameStatus.NeedMoreData:
                    _decoderMidFrame = true;
                    return end - (int)buffer.Length;
                default:
                    Volatile.Write(ref _corrupted, _corrupted + 1);
                    Fail("bad reply frame: " + _decoder.Error!.Message);
                    return -1;
            }
        }

        return start;
    }

    private void OnEndOfStream(int leftover)
    {
        if (leftover > 0)
        {
            Volatile.Write(ref _corrupted, _corrupted + 1);
            Fail($"the server closed the connection inside a reply ({leftover} byte(s) left over)");
        }
        else if (!_senderDone || _completed != Volatile.Read(ref _sent))
        {
            Fail("the server closed the connection");
        }
    }

    // The slow path: works out what is wrong with a reply that is not the next one expected.
    private void Check(ReadOnlySpan<byte> reply, long now)
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
        if (!EchoMessage.FillMatches(reply, _template))
        {
            Volatile.Write(ref _completed, _completed + 1);
            Volatile.Write(ref _corrupted, _corrupted + 1);
        }
        else
        {
            if (sequence < _highest)
            {
                Volatile.Write(ref _reordered, _reordered + 1);
            }

            Answered(sequence, now);
        }

        _highest = Math.Max(_highest, sequence);
        Advance();
    }

    private void Answered(long sequence, long now)
    {
        Volatile.Write(ref _completed, _completed + 1);
        Volatile.Write(ref _verified, _verified + 1);
        if (!_phase.IsMeasured(now))
        {
            return;
        }

        // Replies to one send batch share a send time, so their latency is computed and recorded once, with a count.
        var sendTime = _sendTimes[sequence & _mask];
        if (sendTime != _pendingSendTime)
        {
            FlushLatency();
            _pendingSendTime = sendTime;
            _pendingLatency = Math.Clamp((now - sendTime) * 1_000_000 / Stopwatch.Frequency, 0, EchoLoadGenerator.HighestLatency);
        }

        _pendingCount++;
        Volatile.Write(ref _measured, _measured + 1);
    }

    private void FlushLatency()
    {
        if (_pendingCount > 0)
        {
            _latency.RecordValueWithCount(_pendingLatency, _pendingCount);
            _pendingCount = 0;
        }

        _pendingSendTime = -1;
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
