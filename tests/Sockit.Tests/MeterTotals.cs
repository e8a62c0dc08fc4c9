using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sockit.Diagnostics;

namespace Sockit.Tests;

/// <summary>
/// Sums every measurement of the <c>Sockit</c> meter while it lives. Other tests run in parallel and record too,
/// so a test asserts lower bounds that it alone guarantees.
/// </summary>
internal sealed class MeterTotals : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _totals = new();
    private readonly MeterListener _listener = new();

    public MeterTotals()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SockitMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        _listener.Start();
    }

    /// <summary>The sum recorded so far by the instrument called <paramref name="name"/>.</summary>
    public long this[string name]
    {
        get
        {
            _listener.RecordObservableInstruments();
            return _totals.GetValueOrDefault(name);
        }
    }

    public void Dispose() => _listener.Dispose();
}
