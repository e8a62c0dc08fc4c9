using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Sockit.Connections;
using Sockit.Diagnostics;

namespace Sockit.Services;

/// <summary>
/// One direction of a forwarded connection: <c>from.Input</c> → <c>to.Output</c>, pipe to pipe. Each read is written
/// and flushed before the next, so a slow destination slows the source through both pipes' pause thresholds (no
/// queue of its own). The source's FIN completes the destination's output (FIN after the data); a reset of either
/// side resets the other.
/// </summary>
internal sealed class RelayPump(ForwardSession session, RelayDirection direction, IRelayObserver? observer, ILogger logger)
{
    private readonly Connection _from = direction == RelayDirection.ClientToTarget ? session.Client : session.Target;
    private readonly Connection _to = direction == RelayDirection.ClientToTarget ? session.Target : session.Client;
    private IRelayObserver? _observer = observer;

    /// <summary>Bytes relayed so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Relays until this direction ends; never throws.</summary>
    public async Task<RelayEnd> RunAsync(CancellationToken stopping)
    {
        var input = _from.Input;
        var output = _to.Output;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await output.CompleteAsync().ConfigureAwait(false);
                return RelayEnd.Stopped;
            }
            catch (Exception ex)
            {
                return ResetOther(ex.Message);
            }

            var buffer = result.Buffer;
            var length = buffer.Length;
            try
            {
                if (length > 0)
                {
                    ObserveData(buffer);
                    foreach (var segment in buffer)
                    {
                        output.Write(segment.Span);
                    }
                }
            }
            finally
            {
                input.AdvanceTo(buffer.End);
            }

            if (length > 0)
            {
                var flush = await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    // The destination is gone with these bytes undelivered: the source must not think they arrived.
                    var why = _to.CloseReason?.Message ?? "it stopped taking data";
                    _from.Abort(CloseReasonKind.Reset, $"{direction.ToLabel()}: {_to} failed ({why}); {length} byte(s) not delivered, reset relayed");
                    ObserveEnd(clean: false);
                    Log.ForwardResetRelayed(logger, session.Id, session.Client, direction.ToLabel(), "destination " + why);
                    return RelayEnd.Undelivered;
                }

                Bytes += length;
            }

            if (result.IsCanceled || (result.IsCompleted && IsBroken(_from)))
            {
                return ResetOther(_from.CloseReason?.Message ?? "aborted");
            }

            if (result.IsCompleted)
            {
                await output.CompleteAsync().ConfigureAwait(false);
                ObserveEnd(clean: true);
                Log.ForwardFinRelayed(logger, session.Id, session.Client, direction.ToLabel(), Bytes);
                return RelayEnd.Fin;
            }
        }
    }

    /// <summary>A source that ended by a reset or a failure (not a FIN, an idle close or a local close).</summary>
    private static bool IsBroken(Connection connection) =>
        connection.IsAborted || connection.CloseReason is { Kind: CloseReasonKind.Reset or CloseReasonKind.Error };

    private RelayEnd ResetOther(string why)
    {
        _to.Abort(CloseReasonKind.Reset, $"{direction.ToLabel()}: {_from} was reset or failed ({why}); reset relayed");
        ObserveEnd(clean: false);
        Log.ForwardResetRelayed(logger, session.Id, session.Client, direction.ToLabel(), why);
        return RelayEnd.Reset;
    }

    // The observer must never break the traffic it watches: one that throws is dropped, once, with a log line.
    private void ObserveData(in ReadOnlySequence<byte> data)
    {
        try
        {
            _observer?.OnData(direction, Bytes, data);
        }
        catch (Exception ex)
        {
            DropObserver(ex);
        }
    }

    private void ObserveEnd(bool clean)
    {
        try
        {
            _observer?.OnEnd(direction, clean);
        }
        catch (Exception ex)
        {
            DropObserver(ex);
        }
    }

    private void DropObserver(Exception ex)
    {
        _observer = null;
        Log.ForwardObserverFailed(logger, session.Id, session.Client, ex.Message);
    }
}
