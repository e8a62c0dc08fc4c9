using System.Net;
using System.Net.Sockets;
using Sockit.Services;

namespace Sockit.Udp;

/// <summary>
/// <c>forward --udp</c>: a UDP relay. Every client address that sends to the listening socket gets a session, its own
/// socket connected to the target: the client's datagrams go out on it, and whatever the target sends back on it goes
/// to that client, so replies never cross between clients and the target sees each client as a distinct port (what
/// socat's <c>UDP-LISTEN:…,fork UDP:…</c> does with a process per client, here with a socket per client). Sessions
/// are bounded in number and expire when idle; datagrams that cannot be relayed are counted and reported once a
/// second (<see cref="IUdpForwarderObserver.OnDropped"/>), never lost silently.
/// </summary>
/// <remarks>
/// <para>One receive loop on the listening socket, one reply loop per session, and a housekeeping loop (expiry and
/// drop reports). Replies from all sessions share the listening socket, one send at a time.</para>
/// <para>Memory: each session holds a receive buffer of <see cref="UdpForwarderOptions.MaxDatagramSize"/> + 1 bytes
/// (64 KiB by default) and a socket; bound them with <see cref="UdpForwarderOptions.MaxSessions"/>.</para>
/// <para>Thread-safety: <see cref="RunAsync"/> runs once; the counters may be read from any thread while it runs.
/// Dispose after it has returned.</para>
/// </remarks>
public sealed partial class UdpForwarder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SocketAddress, UdpForwardSession> _sessions = [];
    private readonly SemaphoreSlim _replyGate = new(1, 1);
    private readonly UdpEndpoint _listener;
    private readonly UdpForwarderOptions _options;
    private readonly IUdpForwarderObserver _observer;
    private long _noSession;
    private long _noSessionBytes;
    private long _tooLarge;
    private long _targetUnreachable;
    private long _sendFailed;
    private long _sessionsOpened;
    private long _sessionsExpired;

    /// <summary>Creates a forwarder on a bound <paramref name="listener"/>, which the caller keeps and disposes.</summary>
    /// <param name="listener">The socket clients send to (any address; a dual-stack <c>[::]</c> one takes IPv4 clients too).</param>
    /// <param name="options">The target and the limits.</param>
    /// <param name="observer">Told about sessions and drops; nothing when null.</param>
    public UdpForwarder(UdpEndpoint listener, UdpForwarderOptions options, IUdpForwarderObserver? observer = null)
    {
        _listener = listener ?? throw new ArgumentNullException(nameof(listener));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _observer = observer ?? new NullObserver();
    }

    /// <summary>Sessions open now.</summary>
    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Sessions opened since the start.</summary>
    public long SessionsOpened => Interlocked.Read(ref _sessionsOpened);

    /// <summary>Sessions closed for being idle since the start.</summary>
    public long SessionsExpired => Interlocked.Read(ref _sessionsExpired);

    /// <summary>
    /// Relays until <paramref name="cancellationToken"/> is cancelled, then closes every session, reports what was
    /// dropped since the last report, and returns normally.
    /// </summary>
    /// <exception cref="SocketException">The listening socket failed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var housekeeping = HousekeepAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await housekeeping.ConfigureAwait(false);
            UdpForwardSession[] open;
            lock (_gate)
            {
                open = [.. _sessions.Values];
                _sessions.Clear();
            }

            foreach (var session in open)
            {
                session.Endpoint.Dispose();
            }

            await Task.WhenAll(open.Select(s => s.Replies)).ConfigureAwait(false);
            ReportDrops();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(_listener.ReceiveBufferSize, pinned: true);
        var sender = _listener.CreateSocketAddress();
        while (true)
        {
            var result = await _listener.ReceiveAsync(buffer, sender, cancellationToken).ConfigureAwait(false);
            if (result.Status == DatagramStatus.PortUnreachable)
            {
                continue; // a client that went away (Windows reports this on an unconnected socket; Linux does not)
            }

            if (result.Status == DatagramStatus.Truncated || result.Length > _options.MaxDatagramSize)
            {
                Interlocked.Increment(ref _tooLarge);
                continue;
            }

            if (FindOrOpen(sender, result.Length) is not { } session)
            {
                continue;
            }

            var datagram = buffer.AsMemory(0, result.Length);
            try
            {
                if (await session.Endpoint.SendAsync(datagram, session.TargetAddress, cancellationToken).ConfigureAwait(false) == DatagramStatus.PortUnreachable)
                {
                    Interlocked.Increment(ref _targetUnreachable); // the kernel gave the ICMP error for an earlier datagram instead of sending this one
                    continue;
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                // Refused by the kernel (no buffer space, no route), or the session expired between the lookup and the send.
                Interlocked.Increment(ref _sendFailed);
                continue;
            }

            session.CountToTarget(result.Length);
            _observer.OnDatagram(session, RelayDirection.ClientToTarget, datagram);
        }
    }

    /// <summary>The client's session, opened if new; null (the datagram counted as dropped) when there is no room.</summary>
    private UdpForwardSession? FindOrOpen(SocketAddress sender, int length)
    {
        UdpForwardSession? session;
        List<UdpForwardSession>? expired = null;
        int count;
        lock (_gate)
        {
            if (_sessions.TryGetValue(sender, out session))
            {
                session.Touch(); // under the gate: expiry cannot close it now, with this datagram on its way
                return session;
            }

            if (_sessions.Count >= _options.MaxSessions)
            {
                expired = TakeIdle(Environment.TickCount64); // a full table first makes room from the idle, before dropping
            }

            if (_sessions.Count >= _options.MaxSessions)
            {
                CountNoSession(length);
                return null;
            }

            try
            {
                session = Open(sender);
            }
            catch (SocketException)
            {
                CountNoSession(length); // out of file descriptors or ports: this client waits, the others carry on
                session = null;
            }

            if (session is not null)
            {
                _sessions.Add(session.ClientAddress, session);
            }

            count = _sessions.Count;
        }

        Expire(expired);
        if (session is null)
        {
            return null;
        }

        Interlocked.Increment(ref _sessionsOpened);
        session.Replies = RelayRepliesAsync(session);
        _observer.OnSessionOpened(session, count);
        return session;
    }

    private void CountNoSession(int length)
    {
        Interlocked.Increment(ref _noSession);
        Interlocked.Add(ref _noSessionBytes, length);
    }

    private UdpForwardSession Open(SocketAddress sender)
    {
        var target = _options.Target;
        var endpoint = UdpEndpoint.Bind(new UdpEndpointOptions
        {
            LocalEndPoint = new IPEndPoint(target.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0),
            MaxDatagramSize = _options.MaxDatagramSize,
            SocketReceiveBufferSize = _options.SessionReceiveBufferSize,
        });
        try
        {
            // Connected: only the target's datagrams reach this socket, and Linux reports its ICMP errors here.
            endpoint.Connect(target);
            var client = new SocketAddress(sender.Family, sender.Size);
            sender.Buffer.Span[..sender.Size].CopyTo(client.Buffer.Span);
            return new UdpForwardSession(client, endpoint, endpoint.ToSocketAddress(target));
        }
        catch
        {
            endpoint.Dispose();
            throw;
        }
    }

    /// <summary>The target's datagrams on this session's socket, back to its client, until the socket is closed.</summary>
    private async Task RelayRepliesAsync(UdpForwardSession session)
    {
        // A task of its own, so the receive loop that opened the session goes straight back to the listening socket.
        await Task.Yield();
        var buffer = GC.AllocateUninitializedArray<byte>(session.Endpoint.ReceiveBufferSize);
        var from = session.Endpoint.CreateSocketAddress();
        try
        {
            while (true)
            {
                var result = await session.Endpoint.ReceiveAsync(buffer, from).ConfigureAwait(false);
                switch (result.Status)
                {
                    case DatagramStatus.PortUnreachable:
                        Interlocked.Increment(ref _targetUnreachable);
                        continue;
                    case DatagramStatus.Truncated:
                        Interlocked.Increment(ref _tooLarge);
                        continue;
                }

                await _replyGate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var reply = buffer.AsMemory(0, result.Length);
                    await _listener.SendAsync(reply, session.ClientAddress).ConfigureAwait(false);
                    session.CountToClient(result.Length);
                    _observer.OnDatagram(session, RelayDirection.TargetToClient, reply);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is not (SocketError.OperationAborted or SocketError.Interrupted))
                {
                    Interlocked.Increment(ref _sendFailed); // the kernel refused this reply; the next one may go
                }
                finally
                {
                    _replyGate.Release();
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
        {
            // The session was closed (expired, or the forwarder stopped).
        }
    }

    /// <summary>Frees the reply gate. The listening socket is the caller's; the sessions were closed by <see cref="RunAsync"/>.</summary>
    public void Dispose() => _replyGate.Dispose();

    private sealed class NullObserver : IUdpForwarderObserver;
}
