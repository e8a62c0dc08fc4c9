using System.Net;

namespace Sockit.Addressing;

/// <summary>A TCP connect scan: one <see cref="TcpProbe"/> per port, at most <see cref="PortScanOptions.Concurrency"/>
/// at a time, so a scan of 65,535 ports neither exhausts file descriptors nor floods the target.</summary>
public static class PortScanner
{
    /// <summary>Probes every port of <paramref name="address"/> in <paramref name="ports"/>.</summary>
    /// <param name="address">The host to scan.</param>
    /// <param name="ports">The ports, e.g. from <see cref="PortList.Parse"/>.</param>
    /// <param name="options">Timeout and concurrency.</param>
    /// <param name="cancellationToken">Stops the scan; the task then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One result per port, in the order of <paramref name="ports"/>.</returns>
    public static async ValueTask<IReadOnlyList<ProbeResult>> ScanAsync(
        IPAddress address, IReadOnlyList<int> ports, PortScanOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        var results = new ProbeResult[ports.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, ports.Count), parallel, async (i, ct) =>
            results[i] = await TcpProbe.ConnectAsync(new IPEndPoint(address, ports[i]), options.Timeout, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return results;
    }
}
