using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>
/// The client side: connect to a TCP endpoint by name or address (IPv4 and IPv6, each address in turn, or one family
/// and a chosen source address with <see cref="SocketConnectOptions"/>) or to a Unix domain socket, with a timeout,
/// and run TLS over it when asked.
/// </summary>
public static class SocketConnector
{
    /// <summary>The default connect timeout: 10 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects to <paramref name="target"/>: TCP (resolving the host), or a Unix socket; then, for <c>tls://</c>
    /// (<see cref="ConnectionEndpoint.UseTls"/>), runs the TLS handshake with <paramref name="tls"/> (default: verify
    /// the chain and the name against the system's roots). The caller owns the connection (dispose it to close).
    /// </summary>
    /// <param name="target">Where to connect.</param>
    /// <param name="connectTimeout">How long the connect may take (default <see cref="DefaultConnectTimeout"/>).</param>
    /// <param name="options">The connection's buffers, limits and observer.</param>
    /// <param name="tls">TLS settings for a <c>tls://</c> target.</param>
    /// <param name="logger">Narrates the connection.</param>
    /// <param name="connect">Address family and source address for a TCP target (default: any, chosen by the OS).</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <exception cref="ConnectionException">Unknown host, refused, unreachable, timed out, the source address could
    /// not be bound, or the TLS handshake failed (<see cref="ConnectionErrorKind.TlsHandshake"/>, the message names
    /// why): one line saying which.</exception>
    /// <exception cref="ArgumentException"><paramref name="connect"/> does not fit the target: a family or source for a
    /// Unix socket, or an address literal of the other family.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Connection> ConnectAsync(
        ConnectionEndpoint target,
        TimeSpan? connectTimeout = null,
        ConnectionOptions? options = null,
        TlsClientOptions? tls = null,
        ILogger? logger = null,
        SocketConnectOptions? connect = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= ConnectionOptions.Default;
        if (target.IsUnix && connect is { IsDefault: false })
        {
            throw new ArgumentException($"an address family and a source address apply to TCP, not to {target}");
        }

        var transportOptions = target.UseTls ? options with { Observer = null } : options; // --hex sees plaintext.
        var transport = target.IsUnix
            ? await ConnectAsync(target.ToUnixEndPoint(), connectTimeout, transportOptions, logger, cancellationToken).ConfigureAwait(false)
            : await ConnectAsync(target.Host.Host, target.Host.Port, connectTimeout, transportOptions, logger, connect, cancellationToken).ConfigureAwait(false);
        if (!target.UseTls)
        {
            return transport;
        }

        try
        {
            tls ??= new TlsClientOptions();
            if (tls.TargetHost is null && !target.IsUnix)
            {
                tls = tls with { TargetHost = target.Host.Host };
            }

            return await TlsConnection.AuthenticateAsClientAsync(transport, tls, options, logger ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transport.CloseAsync(TimeSpan.Zero).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to a Unix domain socket and returns the running connection. The caller owns it.</summary>
    /// <exception cref="ConnectionException">Nothing listens there (refused), the path does not exist, or permission
    /// is denied: the message says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<SocketConnection> ConnectAsync(
        UnixDomainSocketEndPoint endPoint,
        TimeSpan? connectTimeout = null,
        ConnectionOptions? options = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var socket = await ConnectSocketAsync(endPoint, connectTimeout, cancellationToken).ConfigureAwait(false);
        return Start(socket, Connection.Describe(endPoint), options, logger);
    }

    /// <summary>
    /// Resolves <paramref name="host"/>, tries each address (of the family <paramref name="connect"/> allows) in turn
    /// until one accepts, and returns the running connection. The caller owns it (dispose it to close).
    /// </summary>
    /// <exception cref="ConnectionException">Unknown host (or none of the family asked for), refused, unreachable,
    /// timed out, or the source address could not be bound: the message says which.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is an address literal of the other family than
    /// <paramref name="connect"/> asks for, or its family and source address disagree.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<SocketConnection> ConnectAsync(
        string host,
        int port,
        TimeSpan? connectTimeout = null,
        ConnectionOptions? options = null,
        ILogger? logger = null,
        SocketConnectOptions? connect = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        connect ??= SocketConnectOptions.Default;
        var family = connect.RequiredFamily();
        var timeout = connectTimeout ?? DefaultConnectTimeout;
        var display = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = family == AddressFamily.Unspecified || literal.AddressFamily == family
                ? [literal]
                : throw new ArgumentException($"'{host}' is an {SocketConnectOptions.Name(literal.AddressFamily)} address, but only {SocketConnectOptions.Name(family)} addresses were asked for");
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

            if (family != AddressFamily.Unspecified)
            {
                addresses = addresses.Where(a => a.AddressFamily == family).ToArray();
                if (addresses.Length == 0)
                {
                    throw new ConnectionException(ConnectionErrorKind.UnknownHost, display, $"cannot resolve '{host}': it has no {SocketConnectOptions.Name(family)} address");
                }
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
                socket = await ConnectOneAsync(new IPEndPoint(address, port), display, timeout, connect.LocalEndPoint, deadline.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectionException ex) when (ex.Kind != ConnectionErrorKind.TimedOut)
            {
                last = ex; // Refused or unreachable on this address: try the next one.
                continue;
            }

            return Start(socket, display, options, logger);
        }

        throw last ?? new ConnectionException(ConnectionErrorKind.UnknownHost, display, $"cannot resolve '{host}': no addresses");
    }

    /// <summary>
    /// Connects a plain socket to <paramref name="endPoint"/> (an <see cref="IPEndPoint"/>, TCP_NODELAY set, or a
    /// <see cref="UnixDomainSocketEndPoint"/>), for callers that drive the socket themselves, such as the load
    /// generator. The caller owns the socket.
    /// </summary>
    /// <exception cref="ConnectionException">Refused, unreachable, or timed out: the message says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Socket> ConnectSocketAsync(EndPoint endPoint, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var timeout = connectTimeout ?? DefaultConnectTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await ConnectOneAsync(endPoint, Connection.Describe(endPoint), timeout, null, deadline.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wraps a connected socket and starts its loops.</summary>
    /// <exception cref="ConnectionException">The peer reset the connection as soon as it was made.</exception>
    internal static SocketConnection Start(Socket socket, string display, ConnectionOptions? options, ILogger? logger)
    {
        SocketConnection connection;
        try
        {
            connection = new SocketConnection(socket, options ?? ConnectionOptions.Default, logger ?? NullLogger.Instance, SockitMetrics.Default);
        }
        catch (SocketException ex)
        {
            // A server that resets at accept (its --allow, --deny or connection limit) can do it between our handshake
            // and here: the socket then has no peer to name (getpeername: ENOTCONN). That is a reset, said as one.
            socket.Dispose();
            throw ConnectionException.From(ex.SocketErrorCode == SocketError.NotConnected ? SocketError.ConnectionReset : ex.SocketErrorCode, display, "connect to", ex);
        }

        Log.Connected(logger ?? NullLogger.Instance, connection, Connection.Describe(connection.LocalEndPoint), Log.HandshakeNote(connection));
        connection.Start();
        return connection;
    }

    private static async Task<Socket> ConnectOneAsync(
        EndPoint endPoint, string display, TimeSpan timeout, IPEndPoint? local, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var socket = endPoint is IPEndPoint
            ? new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Unspecified);
        if (local is not null)
        {
            try
            {
                socket.Bind(local); // the source address (nc -s) and port (nc -p); the kernel's choice otherwise
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw ConnectionException.From(ex.SocketErrorCode, Connection.Describe(local), "bind the source address", ex);
            }
        }

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
