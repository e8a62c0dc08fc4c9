using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using HdrHistogram;
using Sockit.Connections;

namespace Sockit.Load;

/// <summary>
/// Drives an echo server: <see cref="EchoLoadOptions.Connections"/> connections, each keeping
/// <see cref="EchoLoadOptions.Depth"/> messages in flight, every reply checked (loss, reordering, corruption)
/// and timed into an HdrHistogram. One instance runs once; <see cref="GetProgress"/> may be called from any
/// thread while it runs.
/// </summary>
public sealed class EchoLoadGenerator
{
    /// <summary>The largest latency recorded exactly, in microseconds (one hour); longer ones are recorded as this.</summary>
    public const long HighestLatency = 3_600_000_000;

    private const int ConnectParallelism = 64;

    private readonly EchoLoadOptions _options;
    private EchoConnection[] _connections = [];
    private LoadPhase? _phase;
    private int _started;

    /// <summary>Checks <paramref name="options"/> (<see cref="ArgumentException"/> names the bad value).</summary>
    public EchoLoadGenerator(EchoLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Connects every connection, runs the warm-up and the measured duration, drains the replies in flight and
    /// returns what was measured. Connection failures during the run are counted in the result, not thrown.
    /// </summary>
    /// <exception cref="EchoLoadException">The host did not resolve, or a connection could not be made.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; every socket is closed first.</exception>
    public async Task<EchoLoadResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("an EchoLoadGenerator runs once");
        }

        var endpoint = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        var transports = await ConnectAllAsync(endpoint, cancellationToken).ConfigureAwait(false);

        // A few histograms shared round-robin keep memory small with thousands of connections; concurrent ones,
        // because two connections on one stripe may record at the same time.
        var stripes = new HistogramBase[Math.Min(_options.Connections, 2 * Environment.ProcessorCount)];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new LongConcurrentHistogram(1, HighestLatency, 3);
        }

        var phase = new LoadPhase(_options.Warmup, _options.Duration);
        var connections = new EchoConnection[transports.Length];
        for (var i = 0; i < transports.Length; i++)
        {
            connections[i] = new EchoConnection(transports[i], i, _options, phase, stripes[i % stripes.Length]);
        }

        _connections = connections;
        Volatile.Write(ref _phase, phase);
        var runs = new Task[connections.Length];
        for (var i = 0; i < connections.Length; i++)
        {
            runs[i] = connections[i].RunAsync();
        }

        var all = Task.WhenAll(runs);
        var measured = TimeSpan.Zero;
        try
        {
            var remaining = TimeSpan.FromSeconds((phase.MeasureEnd - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            if (remaining > TimeSpan.Zero)
            {
                // Every connection failing early ends the run early too.
                await Task.WhenAny(all, Task.Delay(remaining, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            measured = phase.Stop(endedEarly: all.IsCompleted);
            foreach (var connection in connections)
            {
                connection.Wake();
            }

            await Task.WhenAny(all, Task.Delay(_options.DrainTimeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            if (!all.IsCompleted)
            {
                phase.Abort();
                foreach (var connection in connections)
                {
                    connection.Abort();
                }
            }

            await all.ConfigureAwait(false);
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }

        return Summarize(connections, stripes, measured);
    }

    /// <summary>Counts so far; all zero before the connections are up.</summary>
    public EchoLoadProgress GetProgress()
    {
        var phase = Volatile.Read(ref _phase);
        if (phase is null)
        {
            return default;
        }

        long verified = 0, errors = 0;
        foreach (var connection in _connections)
        {
            verified += connection.Verified;
            errors += connection.Lost + connection.Reordered + connection.Corrupted + (connection.Error is null ? 0 : 1);
        }

        var now = Stopwatch.GetTimestamp();
        return new EchoLoadProgress(Stopwatch.GetElapsedTime(phase.Started, now), verified, errors, now < phase.MeasureStart);
    }

    private EchoLoadResult Summarize(EchoConnection[] connections, HistogramBase[] stripes, TimeSpan measured)
    {
        var latency = new LongHistogram(1, HighestLatency, 3);
        foreach (var stripe in stripes)
        {
            latency.Add(stripe);
        }

        long messages = 0, sent = 0, verified = 0, lost = 0, reordered = 0, corrupted = 0;
        var failed = 0;
        string? firstError = null;
        foreach (var c in connections)
        {
            messages += c.Measured;
            sent += c.Sent;
            verified += c.Verified;
            lost += c.Lost;
            reordered += c.Reordered;
            corrupted += c.Corrupted;
            if (c.Error is not null)
            {
                failed++;
                firstError ??= c.Error;
            }
        }

        return new EchoLoadResult(_options, latency)
        {
            Measured = measured,
            Messages = messages,
            Sent = sent,
            Verified = verified,
            Lost = lost,
            Reordered = reordered,
            Corrupted = corrupted,
            ConnectionErrors = failed,
            FirstError = firstError,
        };
    }

    private async Task<EndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        var target = _options.Endpoint;
        if (target.IsUnix)
        {
            return target.ToUnixEndPoint();
        }

        var (host, port) = (target.Host.Host, target.Host.Port);
        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new EchoLoadException($"{host} has no address");
            return new IPEndPoint(address, port);
        }
        catch (SocketException ex)
        {
            throw new EchoLoadException($"cannot resolve {host}: {ex.Message}", ex);
        }
    }

    private async Task<EchoTransport[]> ConnectAllAsync(EndPoint endpoint, CancellationToken cancellationToken)
    {
        var transports = new EchoTransport?[_options.Connections];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, transports.Length),
                new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (i, ct) => transports[i] = await ConnectAsync(endpoint, i, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return transports.Select(t => t!).ToArray();
        }
        catch
        {
            foreach (var transport in transports)
            {
                transport?.Dispose();
            }

            throw;
        }
    }

    private async ValueTask<EchoTransport> ConnectAsync(EndPoint endpoint, int index, CancellationToken cancellationToken)
    {
        Socket socket;
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
        for (var pause = 1; ; pause = Math.Min(pause * 2, 50))
        {
            try
            {
                socket = await SocketConnector.ConnectSocketAsync(endpoint, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ConnectionException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.WouldBlock or SocketError.TryAgain }
                && Stopwatch.GetTimestamp() < deadline)
            {
                // A Unix socket whose listen backlog is full refuses a non-blocking connect with EAGAIN instead of
                // queueing it as TCP does (unix(7)): the server has not accepted yet, so wait a little and try again.
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectionException ex)
            {
                throw new EchoLoadException(ex.Message + Which(index), ex);
            }
        }

        if (!_options.Endpoint.UseTls)
        {
            return EchoTransport.Plain(socket);
        }

        return await HandshakeAsync(socket, endpoint, index, cancellationToken).ConfigureAwait(false);
    }

    // TLS over the connected socket, verified as the options say, within the handshake timeout.
    private async Task<EchoTransport> HandshakeAsync(Socket socket, EndPoint endpoint, int index, CancellationToken cancellationToken)
    {
        var tls = _options.Tls ?? new TlsClientOptions();
        var fallbackHost = _options.Endpoint.IsUnix ? "localhost" : _options.Endpoint.Host.Host;
        var authentication = TlsVerifier.ClientAuthentication(tls, fallbackHost, out var verifier);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var display = Connection.Describe(endpoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(tls.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, deadline.Token).ConfigureAwait(false);
            return EchoTransport.Tls(socket, ssl);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new EchoLoadException($"TLS handshake with {display} did not finish within {tls.HandshakeTimeout.TotalSeconds:0.###} s{Which(index)}", ex);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or InvalidOperationException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = verifier.Problem?.Message ?? HandshakeReason(ex);
            throw new EchoLoadException(OneLine($"TLS handshake with {display} failed: {why}{Which(index)}"), ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string Which(int index) => _options.Connections > 1 ? $" (connection {index + 1} of {_options.Connections})" : "";

    private static string HandshakeReason(Exception ex) => ex switch
    {
        AuthenticationException { InnerException: { } inner } => $"{ex.Message} ({inner.Message})",
        IOException when ex.Message.Contains("EOF", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("0 bytes", StringComparison.Ordinal)
            => "the server closed the connection during the handshake (not a TLS server?)",
        _ => ex.Message,
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
