using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>Times a TCP connect: the <c>ping -p</c> of Sockit and the unit of a connect scan.</summary>
/// <remarks>The connection is closed with a reset right after it opens (linger 0), so probing leaves no
/// TIME_WAIT behind and the server sees a connection that went away, not a half-finished conversation.</remarks>
public static class TcpProbe
{
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
