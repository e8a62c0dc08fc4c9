using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>Times a TCP connect: the <c>ping -p</c> of Sockit and the unit of a connect scan.</summary>
/// <remarks>The connection is closed with a reset right after it opens (linger 0), so probing leaves no
/// TIME_WAIT behind and the server sees a connection that went away, not a half-finished conversation.</remarks>
public static class TcpProbe
{
    /// <summary>
    /// Pays the runtime's first-use costs (loading the native socket layer, starting the socket event loop, compiling
    /// the connect path: over 10 ms on a small machine) on a throwaway loopback listener, open and then closed, so that the first real
    /// probe measures the network and not the process warming up. Sends nothing beyond 127.0.0.1.
    /// </summary>
    /// <param name="cancellationToken">Cancels the warm-up.</param>
    public static async ValueTask WarmUpAsync(CancellationToken cancellationToken = default)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        await ConnectAsync(endPoint, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);

        // The refused path costs the first exception thrown in the process (tens of milliseconds): pay it here too.
        listener.Stop();
        await ConnectAsync(endPoint, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects to <paramref name="endPoint"/> once and reports how it went; never throws for network
    /// failures (they are outcomes).</summary>
    /// <param name="endPoint">The address and port.</param>
    /// <param name="timeout">How long to wait for the handshake before calling it <see cref="ProbeOutcome.TimedOut"/>.</param>
    /// <param name="cancellationToken">Cancels the probe; the task then throws <see cref="OperationCanceledException"/>.</param>
    public static async ValueTask<ProbeResult> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            socket.LingerState = new LingerOption(true, 0);
            return new ProbeResult(endPoint, ProbeOutcome.Open, elapsed, SocketError.Success);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(endPoint, ProbeOutcome.TimedOut, Stopwatch.GetElapsedTime(start), SocketError.TimedOut);
        }
        catch (SocketException ex)
        {
            var outcome = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ProbeOutcome.Closed,
                SocketError.TimedOut => ProbeOutcome.TimedOut,
                _ => ProbeOutcome.Error,
            };
            return new ProbeResult(endPoint, outcome, Stopwatch.GetElapsedTime(start), ex.SocketErrorCode);
        }
    }
}
