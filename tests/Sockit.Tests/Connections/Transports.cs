using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sockit.Connections;
using Sockit.Framing;

namespace Sockit.Tests.Connections;

/// <summary>
/// One server on one transport (tcp, unix, tls over tcp, tls over unix) and the <see cref="ConnectionEndpoint"/>
/// and client TLS options that reach it through <see cref="SocketConnector"/>.
/// </summary>
internal sealed class TransportServer : IAsyncDisposable
{
    public static readonly string[] All = ["tcp", "unix", "tls-tcp", "tls-unix"];

    /// <summary>The server certificate of every TLS transport here, made once.</summary>
    public static readonly X509Certificate2 Certificate = TlsCertificates.CreateSelfSigned(["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);

    private readonly UnixDir? _dir;

    private TransportServer(SocketServer server, ConnectionEndpoint target, TlsClientOptions? tls, UnixDir? dir)
    {
        Server = server;
        Target = target;
        ClientTls = tls;
        _dir = dir;
    }

    public SocketServer Server { get; }

    public ConnectionEndpoint Target { get; }

    public TlsClientOptions? ClientTls { get; }

    public static TransportServer Start(string transport, IConnectionHandler handler, SocketServerOptions? options = null)
    {
        options ??= new SocketServerOptions();
        var tls = transport.StartsWith("tls-", StringComparison.Ordinal);
        var unix = transport.EndsWith("unix", StringComparison.Ordinal);
        var dir = unix ? new UnixDir() : null;
        EndPoint endPoint = dir is not null ? new UnixDomainSocketEndPoint(dir.PathOf()) : new IPEndPoint(IPAddress.Loopback, 0);
        if (tls)
        {
            options = options with { Tls = options.Tls ?? new TlsServerOptions { Certificate = Certificate } };
        }

        var server = new SocketServer(options with { EndPoint = endPoint }, handler);
        server.Start();
        var target = dir is not null ? ConnectionEndpoint.Unix(dir.PathOf()) : ConnectionEndpoint.Parse($"127.0.0.1:{((IPEndPoint)server.LocalEndPoint).Port}");
        var clientTls = tls ? new TlsClientOptions { PinnedSha256 = Certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256) } : null;
        return new TransportServer(server, target with { UseTls = tls }, clientTls, dir);
    }

    public Task<Connection> ConnectAsync(ConnectionOptions? options = null, TlsClientOptions? tls = null) =>
        SocketConnector.ConnectAsync(Target, Loopback.Timeout, options, tls ?? ClientTls).WithTimeout();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir?.Dispose();
    }
}

/// <summary>The client's side of a test, over a <see cref="Connection"/>: every read bounded by <see cref="Loopback.Timeout"/>.</summary>
internal static class ConnectionClient
{
    public static byte[] LengthFrame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary><paramref name="count"/> length frames of random sizes and contents, concatenated.</summary>
    public static byte[] RandomLengthFrames(Random random, int count, int maxPayload)
    {
        var all = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[random.Next(maxPayload + 1)];
            random.NextBytes(payload);
            all.Write(LengthFrame(payload));
        }

        return all.ToArray();
    }

    /// <summary>Writes <paramref name="data"/> in pieces of random size, each flushed on its own.</summary>
    public static async Task WriteSplitAsync(this Connection connection, byte[] data, Random random, int maxPiece = 1500)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        for (var sent = 0; sent < data.Length;)
        {
            var piece = Math.Min(data.Length - sent, 1 + random.Next(maxPiece));
            var flush = await connection.Output.WriteAsync(data.AsMemory(sent, piece), cts.Token);
            Assert.False(flush.IsCompleted, $"the output ended after {sent} of {data.Length} bytes");
            sent += piece;
        }
    }

    public static async Task WriteAsync(this Connection connection, string text)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await connection.Output.WriteAsync(Encoding.UTF8.GetBytes(text), cts.Token);
    }

    /// <summary>Reads until <see cref="Connection.Input"/> ends (the peer's FIN or close_notify).</summary>
    public static async Task<byte[]> ReadToEndAsync(this Connection connection)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var all = new MemoryStream();
        while (true)
        {
            var result = await connection.Input.ReadAsync(cts.Token);
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            connection.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails at the end of input or on timeout.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Connection connection, int count)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        while (true)
        {
            var result = await connection.Input.ReadAsync(cts.Token);
            if (result.Buffer.Length >= count)
            {
                var bytes = result.Buffer.Slice(0, count).ToArray();
                connection.Input.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }

            Assert.False(result.IsCompleted, $"input ended after {result.Buffer.Length} of {count} bytes");
            connection.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>A line reader over a connection's input (keep one per connection).</summary>
    public static FrameReader Lines(this Connection connection) => new(connection.Input, FrameSpec.Line.CreateDecoder());

    /// <summary>The next line; fails at the end of input or on timeout.</summary>
    public static async Task<string> ReadLineAsync(this FrameReader reader)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        Assert.True(await reader.ReadFrameAsync(cts.Token), "input ended before a whole line");
        return Encoding.UTF8.GetString(reader.Current.ToArray());
    }

    /// <summary>Asserts the input ends (cleanly, on a line boundary) with no more lines; fails on timeout.</summary>
    public static async Task ReadEndAsync(this FrameReader reader)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        Assert.False(await reader.ReadFrameAsync(cts.Token), "a line came where the end of input was expected");
    }
}
