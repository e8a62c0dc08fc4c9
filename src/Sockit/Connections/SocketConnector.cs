using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>The client side: connect by name or address (IPv4 and IPv6) with a timeout.</summary>
public static class SocketConnector
{
    /// <summary>The default connect timeout: 10 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Resolves <paramref name="host"/>, tries each address in turn until one accepts, and returns the
    /// running connection. The caller owns it (dispose it to close).
    /// </summary>
    /// <exception cref="ConnectionException">Unknown host, refused, unreachable, or timed out: the message says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<SocketConnection> ConnectAsync(
        string host,
        int port,
        TimeSpan? connectTimeout = null,
        ConnectionOptions? options = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var timeout = connectTimeout ?? DefaultConnectTimeout;
        var display = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new ConnectionException(ConnectionErrorKind.UnknownHost, display, $"cannot resolve '{host}': {ex.Message}", ex);
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ConnectionException? last = null;
        foreach (var address in addresses)
        {
            Socket socket;
            try
            {
                socket = await ConnectOneAsync(new IPEndPoint(address, port), display, timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectionException ex) when (ex.Kind != ConnectionErrorKind.TimedOut)
            {
                last = ex; // Refused or unreachable on this address: try the next one.
                continue;
            }

            var connection = new SocketConnection(socket, options ?? ConnectionOptions.Default, logger ?? NullLogger.Instance);
            Log.Connected(logger ?? NullLogger.Instance, connection.RemoteEndPoint, connection.LocalEndPoint);
            connection.Start();
            return connection;
        }

        throw last ?? new ConnectionException(ConnectionErrorKind.UnknownHost, display, $"cannot resolve '{host}': no addresses");
    }

    /// <summary>
    /// Connects a plain socket (TCP_NODELAY set) to <paramref name="endPoint"/>, for callers that drive the socket
    /// themselves, such as the load generator. The caller owns the socket.
    /// </summary>
    /// <exception cref="ConnectionException">Refused, unreachable, or timed out: the message says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Socket> ConnectSocketAsync(IPEndPoint endPoint, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var timeout = connectTimeout ?? DefaultConnectTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await ConnectOneAsync(endPoint, endPoint.ToString(), timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Socket> ConnectOneAsync(IPEndPoint endPoint, string display, TimeSpan timeout, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, deadline).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ConnectionException(ConnectionErrorKind.TimedOut, display, $"cannot connect to {display}: timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw ConnectionException.From(ex.SocketErrorCode, display, "connect to", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
