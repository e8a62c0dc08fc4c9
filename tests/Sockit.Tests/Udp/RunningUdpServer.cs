using Sockit.Udp;

namespace Sockit.Tests.Udp;

/// <summary>A <see cref="UdpServer"/> on a loopback port 0, serving in the background until stopped (at most <see cref="UdpTestKit.Timeout"/>).</summary>
internal sealed class RunningUdpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(UdpTestKit.Timeout);
    private readonly Task _serving;

    public RunningUdpServer(IUdpDatagramHandler handler, UdpServerOptions? options = null, IUdpObserver? observer = null,
        int maxDatagramSize = UdpEndpointOptions.LargestDatagramSize)
    {
        Endpoint = UdpTestKit.BindLoopback(maxDatagramSize);
        Server = new UdpServer(Endpoint, options, observer);
        _serving = Server.RunAsync(handler, _stop.Token);
    }

    public UdpEndpoint Endpoint { get; }

    public UdpServer Server { get; }

    /// <summary>Sends <paramref name="text"/> (ASCII) from <paramref name="client"/> to this server.</summary>
    public async Task SendFromAsync(UdpEndpoint client, string text) =>
        await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), client.ToSocketAddress(Endpoint.LocalEndPoint));

    /// <summary>Stops serving and waits for the receive loop to end, so the peers can be read without racing it.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _serving.WaitAsync(UdpTestKit.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Endpoint.Dispose();
        _stop.Dispose();
    }
}
