using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>One ICMP echo request through <see cref="Ping"/>, with "not permitted" turned into one clear exception.</summary>
public static class IcmpEcho
{
    /// <summary>The default payload, as <c>ping</c> sends: 56 bytes (64 with the ICMP header).</summary>
    public const int DefaultPayloadSize = 56;

    /// <summary>Sends one untimed echo request to 127.0.0.1 so that the first real probe does not include the runtime's
    /// first-use costs; also finds out early whether ICMP is permitted at all.</summary>
    /// <param name="cancellationToken">Cancels the warm-up.</param>
    /// <exception cref="IcmpNotPermittedException">This process may not send ICMP.</exception>
    public static async ValueTask WarmUpAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(IPAddress.Loopback, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);

    /// <summary>Sends one echo request to <paramref name="address"/> and waits for the reply.</summary>
    /// <param name="address">The target.</param>
    /// <param name="timeout">How long to wait for the reply.</param>
    /// <param name="cancellationToken">Cancels the wait; the task then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="IcmpNotPermittedException">This process may not send ICMP.</exception>
    public static async ValueTask<IcmpReply> SendAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var ping = new Ping();
        var payload = new byte[DefaultPayloadSize];
        var start = Stopwatch.GetTimestamp();
        PingReply reply;
        try
        {
            reply = await ping.SendPingAsync(address, timeout, payload, null, cancellationToken).ConfigureAwait(false);
        }
        catch (PingException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied }
                                           or Win32Exception or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            throw new IcmpNotPermittedException(IcmpNotPermittedException.Advice, ex);
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or UnauthorizedAccessException)
        {
            throw new IcmpNotPermittedException(IcmpNotPermittedException.Advice, ex);
        }
        catch (PingException ex) when (ex.InnerException is { } cause)
        {
            // PingException's own message ("An exception occurred during a Ping request") hides the reason.
            throw new PingException($"ICMP echo to {address} failed: {cause.Message}", cause);
        }

        // Ping.RoundtripTime is whole milliseconds (0 on loopback): time the call instead.
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new IcmpReply(reply.Status, reply.Status == IPStatus.Success ? reply.Address : null, elapsed, reply.Options?.Ttl, reply.Buffer.Length);
    }
}
