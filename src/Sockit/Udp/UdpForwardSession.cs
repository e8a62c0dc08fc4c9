using System.Net;

namespace Sockit.Udp;

/// <summary>
/// One client of a <see cref="UdpForwarder"/>: its own socket, connected to the target, so the target's replies come
/// back on it alone and go to this client (and the target sees each client as its own port). Counters are updated by
/// the forwarder's loops; read them for reports. Thread-safe to read.
/// </summary>
public sealed class UdpForwardSession
{
    private long _lastActivity = Environment.TickCount64;
    private long _datagramsToTarget;
    private long _datagramsToClient;
    private long _bytesToTarget;
    private long _bytesToClient;

    internal UdpForwardSession(SocketAddress clientAddress, UdpEndpoint endpoint, SocketAddress targetAddress)
    {
        ClientAddress = clientAddress;
        Client = UdpEndpoint.ToIPEndPoint(clientAddress);
        ClientName = Client.ToString();
        Endpoint = endpoint;
        TargetAddress = targetAddress;
        OpenedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The client, as people write it (IPv4-mapped IPv6 shown as IPv4).</summary>
    public IPEndPoint Client { get; }

    /// <summary><see cref="Client"/> as text, made once.</summary>
    public string ClientName { get; }

    /// <summary>The session socket's local address and port: what the target sees as this client.</summary>
    public IPEndPoint LocalEndPoint => Endpoint.LocalEndPoint;

    /// <summary>When the session was opened.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>Datagrams relayed from the client to the target.</summary>
    public long DatagramsToTarget => Interlocked.Read(ref _datagramsToTarget);

    /// <summary>Datagrams relayed from the target back to the client.</summary>
    public long DatagramsToClient => Interlocked.Read(ref _datagramsToClient);

    /// <summary>Payload bytes relayed to the target.</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    /// <summary>Payload bytes relayed back to the client.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>The client's address in the listening socket's form (the key, and where replies go).</summary>
    internal SocketAddress ClientAddress { get; }

    /// <summary>The session socket, connected to the target.</summary>
    internal UdpEndpoint Endpoint { get; }

    /// <summary>The target in the session socket's form.</summary>
    internal SocketAddress TargetAddress { get; }

    /// <summary>The reply loop; ends when the session socket is closed.</summary>
    internal Task Replies { get; set; } = Task.CompletedTask;

    internal long IdleMilliseconds(long now) => now - Volatile.Read(ref _lastActivity);

    internal void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    internal void CountToTarget(int bytes)
    {
        Interlocked.Increment(ref _datagramsToTarget);
        Interlocked.Add(ref _bytesToTarget, bytes);
        Touch();
    }

    internal void CountToClient(int bytes)
    {
        Interlocked.Increment(ref _datagramsToClient);
        Interlocked.Add(ref _bytesToClient, bytes);
        Touch();
    }
}
