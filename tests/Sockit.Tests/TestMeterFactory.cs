using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sockit.Tests;

/// <summary>
/// A meter factory of one test's own (what <c>services.AddMetrics()</c> gives a host): meters it creates are scoped to
/// it, so a <c>MetricCollector</c> on this factory sees exactly what the server given it recorded, and nothing that
/// tests running in parallel record on the process-wide meter. Same name and version, same meter, as the real one.
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentDictionary<(string, string?), Meter> _meters = new();

    public Meter Create(MeterOptions options) =>
        _meters.GetOrAdd((options.Name, options.Version), _ => new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this }));

    public void Dispose()
    {
        foreach (var meter in _meters.Values)
        {
            meter.Dispose();
        }
    }
}
