using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Sockit.Connections.Internal;
using Sockit.Diagnostics;

namespace Sockit.Connections;

/// <summary>
/// TLS as middleware: a connection of plaintext over another connection (TCP or a Unix socket) that carries the
/// ciphertext, with <see cref="SslStream"/> between them (TLS 1.2 and 1.3; Kestrel's <c>HttpsConnectionMiddleware</c>
/// is the model). Handlers, observers and <c>--hex</c> see the plaintext; the transport below sees records.
/// </summary>
/// <remarks>
/// <para>Half-close: completing <see cref="Output"/> sends what is queued, then close_notify (RFC 8446 §6.1), then
/// the transport's FIN, and <see cref="Input"/> keeps reading the peer's replies. A peer's close_notify or FIN ends
/// <see cref="Input"/>.</para>
/// <para>The close reason, the abort and the timers belong to the transport: aborting this connection resets the
/// transport. Byte counts are plaintext. An idle TLS connection holds no pipe buffers (it waits with zero-byte reads
/// at both layers).</para>
/// </remarks>
public sealed class TlsConnection : Connection
{
    private readonly Connection _transport;
    private readonly SslStream _ssl;
    private readonly DuplexPipeStream _ciphertext;
    private readonly ConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionPipes _pipes;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private volatile bool _closing;

    private TlsConnection(Connection transport, SslStream ssl, DuplexPipeStream ciphertext, ConnectionOptions options, ILogger logger)
    {
        _transport = transport;
        _ssl = ssl;
        _ciphertext = ciphertext;
        _options = options;
        _logger = logger;
        _pipes = new ConnectionPipes(options);
    }

    /// <summary>The TLS version agreed (<see cref="SslProtocols.Tls12"/> or <see cref="SslProtocols.Tls13"/>).</summary>
    public SslProtocols Protocol => _ssl.SslProtocol;

    /// <summary>The cipher suite agreed, e.g. <c>TLS_AES_256_GCM_SHA384</c>.</summary>
    public TlsCipherSuite CipherSuite => _ssl.NegotiatedCipherSuite;

    /// <summary>The application protocol agreed with ALPN (RFC 7301), or empty when none was.</summary>
    public string ApplicationProtocol => _ssl.NegotiatedApplicationProtocol.ToString();

    /// <summary>The name the client asked for with SNI (RFC 6066 §3) on a server; the name verified on a client.</summary>
    public string TargetHostName => _ssl.TargetHostName;

    /// <summary>The peer's certificate: the server's on a client; the client's on a server (mutual TLS), else null.</summary>
    public X509Certificate2? RemoteCertificate => _ssl.RemoteCertificate as X509Certificate2;

    /// <summary>The connection carrying the ciphertext.</summary>
    public Connection Transport => _transport;

    /// <inheritdoc/>
    public override long Id => _transport.Id;

    /// <inheritdoc/>
    public override EndPoint RemoteEndPoint => _transport.RemoteEndPoint;

    /// <inheritdoc/>
    internal override SockitMetrics Metrics => _transport.Metrics;

    /// <inheritdoc/>
    public override EndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <inheritdoc/>
    public override DateTimeOffset ConnectedAt => _transport.ConnectedAt;

    /// <inheritdoc/>
    public override PipeReader Input => _pipes.Reader;

    /// <inheritdoc/>
    public override PipeWriter Output => _pipes.Output.Writer;

    /// <inheritdoc/>
    public override CloseReason? CloseReason => _transport.CloseReason;

    /// <inheritdoc/>
    public override long BytesReceived => _pipes.BytesReceived;

    /// <inheritdoc/>
    public override long BytesSent => _pipes.BytesSent;

    /// <summary>Plaintext queued and never encrypted, plus ciphertext the transport never sent.</summary>
    public override long BytesDropped => _pipes.BytesDropped + _transport.BytesDropped;

    /// <inheritdoc/>
    public override long BufferedBytes => _pipes.Pool.Held + _transport.BufferedBytes;

    /// <inheritdoc/>
    public override Task Closed => _closed.Task;

    /// <inheritdoc/>
    public override bool IsAborted => _transport.IsAborted;

    /// <inheritdoc/>
    internal override bool IsSending => _pipes.IsSending || _transport.IsSending;

    /// <inheritdoc/>
    internal override long LastSentAt => _transport.LastSentAt;

    /// <summary>The peer as logs show it: its transport's name (<c>127.0.0.1:5000</c>).</summary>
    public override string ToString() => _transport.ToString();

    /// <summary>
    /// Runs the server side of the handshake over <paramref name="transport"/> and returns the plaintext connection.
    /// The handshake must finish within <see cref="TlsServerOptions.HandshakeTimeout"/>.
    /// </summary>
    /// <param name="transport">A running connection; the TLS connection takes it over (closing one closes both).</param>
    /// <param name="tls">The certificate, client authentication and ALPN.</param>
    /// <param name="options">Buffering, the observer and the memory budget for the plaintext pipes.</param>
    /// <param name="logger">Narrates the handshake (version, cipher, ALPN, client certificate) at Information.</param>
    /// <param name="cancellationToken">Abandons the handshake (the server is stopping).</param>
    /// <exception cref="ConnectionException"><see cref="ConnectionErrorKind.TlsHandshake"/>: the handshake failed or
    /// timed out; the message says why. The transport is left to the caller to close.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TlsConnection> AuthenticateAsServerAsync(
        Connection transport, TlsServerOptions tls, ConnectionOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var authentication = TlsVerifier.ServerAuthentication(tls, out var verifier);
        return AuthenticateAsync(transport, options, logger, tls.HandshakeTimeout, "client", null, () => verifier?.Problem,
            (ssl, token) => ssl.AuthenticateAsServerAsync(authentication, token), cancellationToken);
    }

    /// <summary>
    /// Runs the client side of the handshake over <paramref name="transport"/> and returns the plaintext connection.
    /// The server's certificate is verified as <paramref name="tls"/> says (by default against the system's roots
    /// and <see cref="TlsClientOptions.TargetHost"/>); the handshake must finish within
    /// <see cref="TlsClientOptions.HandshakeTimeout"/>.
    /// </summary>
    /// <param name="transport">A running connection; the TLS connection takes it over (closing one closes both).</param>
    /// <param name="tls">The name to verify and send as SNI, the trust (CA, pin, insecure), ALPN, a client certificate.</param>
    /// <param name="options">Buffering, the observer and the memory budget for the plaintext pipes.</param>
    /// <param name="logger">Narrates the handshake (version, cipher, ALPN, server certificate) at Information.</param>
    /// <param name="cancellationToken">Abandons the handshake.</param>
    /// <exception cref="ConnectionException"><see cref="ConnectionErrorKind.TlsHandshake"/>: the certificate was
    /// rejected (the message names why: untrusted root, name mismatch, expired, pin mismatch), or the handshake failed
    /// or timed out. The transport is left to the caller to close.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TlsConnection> AuthenticateAsClientAsync(
        Connection transport, TlsClientOptions tls, ConnectionOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(transport);
        var authentication = TlsVerifier.ClientAuthentication(tls, Describe(transport.RemoteEndPoint), out var verifier);
        return AuthenticateAsync(transport, options, logger, tls.HandshakeTimeout, "server", tls.TargetHost, () => verifier.Problem,
            (ssl, token) => ssl.AuthenticateAsClientAsync(authentication, token), cancellationToken);
    }

    private static async Task<TlsConnection> AuthenticateAsync(
        Connection transport,
        ConnectionOptions options,
        ILogger logger,
        TimeSpan timeout,
        string peer,
        string? peerName,
        Func<CertificateProblem?> problem,
        Func<SslStream, CancellationToken, Task> handshake,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var ciphertext = new DuplexPipeStream(transport.Input, transport.Output);
        var ssl = new SslStream(ciphertext, leaveInnerStreamOpen: true);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var display = peerName is null || IPAddress.TryParse(peerName, out _) ? transport.ToString() : $"{peerName} ({transport})";
        try
        {
            await handshake(ssl, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw Failed(transport, $"TLS handshake with {display} did not finish within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or InvalidOperationException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = problem()?.Message ?? Reason(ex, peer);
            throw Failed(transport, $"TLS handshake with {display} failed: {why}", ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var connection = new TlsConnection(transport, ssl, ciphertext, options, logger);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var certificate = connection.RemoteCertificate;
            Log.TlsEstablished(logger, connection, Describe(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString(),
                connection.ApplicationProtocol is { Length: > 0 } alpn ? alpn : "none",
                certificate is null ? $"no {peer} certificate" : $"{peer} certificate {certificate.Subject}, expires {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        }

        connection.Start();
        return connection;
    }

    private static ConnectionException Failed(Connection transport, string message, Exception? inner = null)
    {
        transport.TrySetCloseReason(CloseReasonKind.Error, message, inner);
        return new ConnectionException(ConnectionErrorKind.TlsHandshake, transport.ToString(), message, inner);
    }

    // SslStream's messages name .NET internals ("see inner exception"); say what happened in the protocol's terms, with
    // OpenSSL's own reason (the innermost message) where there is one.
    private static string Reason(Exception ex, string peer)
    {
        var innermost = ex;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        var text = innermost.Message;
        return text switch
        {
            _ when innermost is OperationCanceledException => $"the {peer} closed the connection during the handshake",
            _ when text.Contains("wrong version number", StringComparison.OrdinalIgnoreCase) || text.Contains("packet length too long", StringComparison.OrdinalIgnoreCase)
                => $"the {peer} does not speak TLS (its first bytes are not a TLS record: a plaintext server?)",
            _ when text.Contains("unexpected message", StringComparison.OrdinalIgnoreCase)
                => $"the {peer} did not answer as TLS does (OpenSSL: unexpected message; a plaintext or echo server?)",
            _ when text.Contains("EOF", StringComparison.OrdinalIgnoreCase) || text.Contains("0 bytes", StringComparison.Ordinal)
                => $"the {peer} closed the connection during the handshake (not a TLS peer, or it refused us without an alert)",
            _ when ReferenceEquals(innermost, ex) => text,
            _ => $"{ex.Message.Replace(", see inner exception.", "", StringComparison.Ordinal)} ({text})",
        };
    }

    private static ConnectionException? TransportError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is ConnectionException transport)
            {
                return transport;
            }
        }

        return null;
    }

    private static string Describe(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };

    private void Start()
    {
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
        _ = FinishWhenDoneAsync();
    }

    /// <inheritdoc/>
    public override bool TrySetCloseReason(CloseReasonKind kind, string message, Exception? exception = null) =>
        _transport.TrySetCloseReason(kind, message, exception);

    /// <inheritdoc/>
    public override void Abort(CloseReasonKind kind, string message, Exception? exception = null)
    {
        _closing = true;
        _transport.Abort(kind, message, exception);
        _pipes.CancelPending();
    }

    /// <inheritdoc/>
    internal override void PeerEnded() => _transport.PeerEnded();

    /// <summary>Closes the transport at once with a FIN and no close_notify (an idle timeout has nothing left to say).</summary>
    internal override void CloseNow(CloseReasonKind kind, string message)
    {
        _closing = true;
        _transport.CloseNow(kind, message);
        _pipes.CancelPending();
    }

    /// <inheritdoc/>
    internal override long IdleMilliseconds(long now) => _transport.IdleMilliseconds(now);

    /// <inheritdoc/>
    internal override long PartialFrameMilliseconds(long now) => _pipes.PartialFrameMilliseconds(now);

    /// <summary>
    /// Closes gracefully: sends what is queued, close_notify and FIN, then closes the transport. After
    /// <paramref name="drainTimeout"/> (default: no limit) whatever is still queued is dropped and the transport reset.
    /// </summary>
    public override async ValueTask CloseAsync(TimeSpan? drainTimeout = null)
    {
        await _pipes.Output.Writer.CompleteAsync().ConfigureAwait(false);
        await _pipes.Reader.CompleteAsync().ConfigureAwait(false);
        var started = Environment.TickCount64;
        try
        {
            await _writeLoop.WaitAsync(drainTimeout ?? Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort(CloseReasonKind.LimitReached, $"queued data not sent within {drainTimeout?.TotalSeconds:0.###} s: the peer stopped reading");
        }

        // Nobody reads the plaintext any more: stop decrypting, so the transport can close under it.
        _closing = true;
        _transport.Input.CancelPendingRead();
        await _readLoop.ConfigureAwait(false);
        var left = drainTimeout is { } limit ? limit - TimeSpan.FromMilliseconds(Environment.TickCount64 - started) : (TimeSpan?)null;
        await _transport.CloseAsync(left < TimeSpan.Zero ? TimeSpan.Zero : left).ConfigureAwait(false);
        await _closed.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Transport → SslStream → <see cref="Input"/>. Waits with a zero-byte read (no buffer held) until a record is
    /// in, then decrypts into the pipe. Never throws: its end completes <see cref="Input"/> (with the error).
    /// </summary>
    private async Task ReadLoopAsync()
    {
        var writer = _pipes.Input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                await _ssl.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                var memory = writer.GetMemory(_options.MinimumReceiveSize);
                var read = await _ssl.ReadAsync(memory).ConfigureAwait(false);
                if (read == 0)
                {
                    // close_notify, or the transport's end. SslStream reads a bare end at a record boundary as the
                    // end too, so a transport that ended in a reset is checked here: that is no clean end.
                    if (_transport.CloseReason is { Kind: CloseReasonKind.Reset or CloseReasonKind.Error } failed && !_closing)
                    {
                        error = failed.Exception ?? new IOException(failed.Message);
                        break;
                    }

                    // The peer ended its side, even when we close before its FIN follows the close_notify.
                    _transport.PeerEnded();
                    Log.ReceivedCloseNotify(_logger, this);
                    break;
                }

                var flush = await _pipes.DeliverAsync(this, memory[..read]).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (_closing)
        {
            _ = ex; // Closed or aborted by this side: reads simply end.
        }
        catch (Exception ex)
        {
            // A transport failure (a reset: its own reason is recorded) or a bad record (bad MAC, a truncation
            // attack): the connection cannot go on.
            error = TransportError(ex) ?? (ex is IOException or AuthenticationException ? new IOException("TLS: " + (ex.InnerException?.Message ?? ex.Message), ex) : ex);
            if (TrySetCloseReason(CloseReasonKind.Error, error.Message, error))
            {
                Log.ConnectionFailed(_logger, this, error.Message);
            }

            Abort(CloseReasonKind.Error, error.Message, error);
        }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="Output"/> → SslStream → transport. When the application completes <see cref="Output"/>, sends
    /// close_notify, then completes the transport's output (FIN). Never throws; what is left unsent is counted in
    /// <see cref="BytesDropped"/>.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        Exception? error = null;
        var finished = false;
        try
        {
            finished = await _pipes.DrainOutputAsync(this).ConfigureAwait(false);
            if (finished && !_closing)
            {
                try
                {
                    await _ssl.ShutdownAsync().ConfigureAwait(false);
                    Log.SentCloseNotify(_logger, this);
                }
                catch (Exception ex) when (_transport.CloseReason is null)
                {
                    // SslStream on OpenSSL sometimes fails SSL_shutdown while the peer's records are still arriving
                    // (SSL_ERROR_SYSCALL, "error - 5"; "shutdown while in init" before a TLS 1.3 session ticket is
                    // processed). Everything was sent: end with FIN alone and keep reading, rather than reset a
                    // connection whose replies are still on their way.
                    Log.CloseNotifyFailed(_logger, this, ex.Message);
                }

                await _ciphertext.CompleteOutputAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (_closing || _transport.CloseReason is not null)
        {
            _ = ex; // Aborted, or the transport failed (its reason is recorded): what is queued is dropped.
        }
        catch (Exception ex)
        {
            error = ex;
            TrySetCloseReason(CloseReasonKind.Error, "TLS: " + ex.Message, ex);
            Abort(CloseReasonKind.Error, ex.Message, ex);
        }
        finally
        {
            if (!finished)
            {
                _pipes.CountDropped();
            }

            await _pipes.Output.Reader.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Encrypts a piece into records (SslStream cuts each write into records of at most 16 KiB of plaintext, RFC 8446
    /// §5.1) that collect in the transport's output and go out with one flush: one send for the batch, not one per record.
    /// </summary>
    internal override async ValueTask SendPieceAsync(ReadOnlySequence<byte> piece)
    {
        _ciphertext.DeferFlush = true;
        try
        {
            foreach (var segment in piece)
            {
                await _ssl.WriteAsync(segment).ConfigureAwait(false);
            }
        }
        finally
        {
            _ciphertext.DeferFlush = false;
        }

        await _ssl.FlushAsync().ConfigureAwait(false);
    }

    private async Task FinishWhenDoneAsync()
    {
        await Task.WhenAll(_readLoop, _writeLoop, _transport.Closed).ConfigureAwait(false);
        try
        {
            await _ssl.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Disposing flushes through a transport that may be gone: nothing is left to say to the peer.
        }
        finally
        {
            _closed.TrySetResult(); // Closed never faults, and always completes.
        }
    }
}
