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
        // Disposed at the end, which also keeps it alive: an unreferenced listener could be finalized mid-probe, and its
        // close resets the queued connection (seen as ConnectionReset under load).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;

        var result = await TcpProbe.ConnectAsync(endPoint, TimeSpan.FromSeconds(5)).AsTask().WaitAsync(_timeout);

        // Both in one assertion, so a failure shows what the probe met.
        Assert.Equal((ProbeOutcome.Open, SocketError.Success), (result.Outcome, result.Error));
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
    public async Task ProbeOfAListenerWithAFullBacklogTimesOut()
    {
        // Linux drops SYNs while a listener's accept queue is full, so a connect there hangs: the loopback
        // stand-in for a firewall that drops packets.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        var fillers = new List<Socket>();
        var connects = new List<Task>();
        try
        {
            ProbeResult result;
            do
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                result = await TcpProbe.ConnectAsync(endPoint, TimeSpan.FromMilliseconds(300)).AsTask().WaitAsync(_timeout);
                connects.Add(filler.ConnectAsync(endPoint)); // queued or pending: the listener never accepts
            }
            while (result.Outcome == ProbeOutcome.Open && fillers.Count < 16);

            Assert.Equal(ProbeOutcome.TimedOut, result.Outcome);
            Assert.Equal(SocketError.TimedOut, result.Error);
            Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(250), $"{result.Elapsed}");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());

            // Disposing fails the pending connects; observe them so nothing is left unobserved.
            await Task.WhenAll(connects).WaitAsync(_timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        }
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
