using System.Buffers;
using System.Threading.Channels;
using Sockit.Diagnostics;
using Sockit.Connections;

namespace Sockit.Services;

public sealed partial class Fanout
{
    /// <summary>
    /// One member: a byte-bounded queue of encoded frames and the pump that is its output's only writer. A queue
    /// can exist before its connection (the frames kept while the fan-out is empty); the pump starts on attach.
    /// </summary>
    private sealed class Member(Fanout owner) : IAsyncDisposable
    {
        // The pump hands at most this much to the output per flush, so the output pipe (not this queue) never
        // holds much more than its own pause threshold.
        private const int BatchBytes = 64 << 10;

        private readonly Channel<(byte[] Buffer, int Length)> _queue =
            Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private Task _pump = Task.CompletedTask;

        // Under _gate.
        private long _queuedBytes;
        private TaskCompletionSource? _room;    // while the queue is at its limit: completes when it is not
        private long _fullSince;                // when the queue reached its limit (Environment.TickCount64)
        private long _lastTaken;                // when the pump last took bytes from the queue
        private bool _finishing;                // Complete(): FIN after the queue drains
        private bool _closed;                   // no more frames: leaving, cut, or the pump ended
        private volatile bool _cut;

        public Connection? Connection { get; private set; }

        /// <summary>Completes when the pump has ended (output completed, connection failed, cut or left).</summary>
        public Task Pumped => _pump;

        public void Attach(Connection connection)
        {
            Connection = connection;
            _pump = Task.Run(PumpAsync);
        }

        /// <summary>Queues a copy of <paramref name="frame"/> whole; returns true when the queue is now at or over its limit.</summary>
        public bool Enqueue(ReadOnlySpan<byte> frame)
        {
            var length = frame.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            frame.CopyTo(buffer);
            lock (_gate)
            {
                if (_closed || _finishing || !_queue.Writer.TryWrite((buffer, length)))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return false;
                }

                _queuedBytes += length;
                Interlocked.Add(ref owner._queuedBytes, length);
                if (_queuedBytes < owner.Options.MaxQueuedBytes)
                {
                    return false;
                }

                if (_room is null)
                {
                    _room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _fullSince = Environment.TickCount64;
                }

                return true;
            }
        }

        /// <summary>While the queue is at its limit: a task that completes when it is not (or the member is gone).</summary>
        public Task? Room
        {
            get
            {
                lock (_gate)
                {
                    return _room?.Task;
                }
            }
        }

        /// <summary>The queue is complete: the pump sends what is queued, then completes the output (FIN).</summary>
        public void Finish()
        {
            lock (_gate)
            {
                _finishing = true;
                _queue.Writer.TryComplete();
            }
        }

        public async ValueTask DisposeAsync()
        {
            lock (_gate)
            {
                Close();
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
            _stop.Dispose();
        }

        /// <summary>Closes the member if its queue is full and nothing has moved for the slow consumer timeout.</summary>
        public bool TryCut(out long dropped)
        {
            dropped = 0;
            var timeout = owner.Options.SlowConsumerTimeout;
            lock (_gate)
            {
                if (_closed || _room is null || Connection is null || timeout == Timeout.InfiniteTimeSpan)
                {
                    return false;
                }

                // Progress is the pump taking frames or the socket taking bytes (one send call: the output pipe's
                // contents), whichever came last since the queue filled.
                var lastProgress = Math.Max(_fullSince, Math.Max(_lastTaken, Connection.LastSentAt));
                if (Environment.TickCount64 - lastProgress < (long)timeout.TotalMilliseconds)
                {
                    return false;
                }

                dropped = _queuedBytes;
                _cut = true;
                Close();
                return true;
            }
        }

        /// <summary>Under <see cref="_gate"/>: no more frames; publishers waiting for room are released.</summary>
        private void Close()
        {
            _closed = true;
            _queue.Writer.TryComplete();
            _room?.TrySetResult();
            _room = null;
        }

        /// <summary>The pump handed <paramref name="bytes"/> on (or dropped them): frees room and wakes publishers.</summary>
        private void Release(long bytes, bool progress)
        {
            Interlocked.Add(ref owner._queuedBytes, -bytes);
            lock (_gate)
            {
                _queuedBytes -= bytes;
                if (progress && bytes > 0)
                {
                    _lastTaken = Environment.TickCount64;
                }

                if (_room is not null && _queuedBytes < owner.Options.MaxQueuedBytes)
                {
                    _room.TrySetResult();
                    _room = null;
                }
            }
        }

        private async Task PumpAsync()
        {
            var reader = _queue.Reader;
            var output = Connection!.Output;
            try
            {
                while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                {
                    if (_cut)
                    {
                        return;
                    }

                    var batch = 0L;
                    var frames = 0;
                    while (batch < BatchBytes && reader.TryRead(out var item))
                    {
                        output.Write(item.Buffer.AsSpan(0, item.Length));
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                        batch += item.Length;
                        frames++;
                    }

                    Release(batch, progress: true);
                    Connection!.Metrics.FramesSent.Add(frames);
                    var flush = await output.FlushAsync(_stop.Token).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return;
                    }
                }

                bool finishing;
                lock (_gate)
                {
                    finishing = _finishing && !_closed;
                }

                if (finishing)
                {
                    await output.CompleteAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Leaving.
            }
            catch (IOException)
            {
                // The connection failed while sending; it has recorded why.
            }
            finally
            {
                lock (_gate)
                {
                    Close();
                }

                var dropped = 0L;
                while (reader.TryRead(out var item))
                {
                    dropped += item.Length;
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }

                Release(dropped, progress: false);
            }
        }
    }
}
