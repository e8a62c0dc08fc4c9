using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class LoopbackProbeTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    /// <summary>A port on 127.0.0.1 that nothing listens on: bound by the system, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);

        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task ProbeOfAListeningPortIsOpenAndTimed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;

        var result = await TcpProbe.ConnectAsync(endPoint, TimeSpan.FromSeconds(5)).AsTask().WaitAsync(_timeout);

        Assert.Equal(ProbeOutcome.Open, result.Outcome);
        Assert.Equal(SocketError.Success, result.Error);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public async Task ProbeOfAClosedPortIsClosed()
    {
        var result = await TcpProbe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ClosedPort()), TimeSpan.FromSeconds(5)).AsTask().WaitAsync(_timeout);

        Assert.Equal(ProbeOutcome.Closed, result.Outcome);
        Assert.Equal(SocketError.ConnectionRefused, result.Error);
    }

    [Fact]
    public async Task ProbeHonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TcpProbe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ClosedPort()), TimeSpan.FromSeconds(5), cts.Token).AsTask().WaitAsync(_timeout));
    }

    [Fact]
    public async Task ScanReportsOpenAndClosedInPortOrderWithBoundedConcurrency()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);

        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        var closed = ClosedPort();
        int[] ports = [closed, open];

        var results = await PortScanner.ScanAsync(IPAddress.Loopback, ports, new PortScanOptions { Concurrency = 1, Timeout = TimeSpan.FromSeconds(5) })
            .AsTask().WaitAsync(_timeout);

        Assert.Equal(ports, results.Select(r => r.EndPoint.Port));
        Assert.Equal([ProbeOutcome.Closed, ProbeOutcome.Open], results.Select(r => r.Outcome));
    }

    [Fact]
    public async Task ScanRejectsZeroConcurrency() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => PortScanner.ScanAsync(IPAddress.Loopback, [1], new PortScanOptions { Concurrency = 0 }).AsTask());
}
