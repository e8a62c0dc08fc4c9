using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Sockit.Connections;
using Sockit.Load;

namespace Sockit.Tests.Load;

/// <summary>The load generator over TLS and Unix domain sockets, against a small in-process echo server.</summary>
public sealed class EchoLoadTransportTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private static EchoLoadOptions Options(ConnectionEndpoint endpoint, TlsClientOptions? tls = null) => new()
    {
        Endpoint = endpoint,
        Tls = tls,
        Connections = 2,
        Depth = 4,
        Warmup = TimeSpan.Zero,
        Duration = TimeSpan.FromMilliseconds(300),
        DrainTimeout = TimeSpan.FromSeconds(10),
    };

    private static Task<EchoLoadResult> RunAsync(EchoLoadOptions options) =>
        new EchoLoadGenerator(options).RunAsync().WaitAsync(TestTimeout);

    private static void AssertClean(EchoLoadResult result)
    {
        Assert.Null(result.FirstError);
        Assert.False(result.HasErrors);
        // Replies verified in all, the drain included: a loaded machine can let the 300 ms window pass without one.
        Assert.True(result.Verified > 0, "no reply came back");
        Assert.Equal(result.Sent, result.Verified);
    }

    [Fact]
    public async Task OverTlsWithThePinEveryReplyIsVerified()
    {
        await using var server = StreamEchoServer.Tcp(tls: true);

        var result = await RunAsync(Options(ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port}"),
            new TlsClientOptions { PinnedSha256 = server.Pin }));

        AssertClean(result);
    }

    [Fact]
    public async Task AWrongPinIsAnEchoLoadExceptionNamingIt()
    {
        await using var server = StreamEchoServer.Tcp(tls: true);

        var ex = await Assert.ThrowsAsync<EchoLoadException>(() => RunAsync(Options(
            ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port}"), new TlsClientOptions { PinnedSha256 = new byte[32] })));

        Assert.Contains("TLS handshake with 127.0.0.1:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pin mismatch", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task TlsAgainstAPlaintextServerIsAnEchoLoadException()
    {
        await using var server = StreamEchoServer.Tcp(tls: false, closeOnData: true);

        var ex = await Assert.ThrowsAsync<EchoLoadException>(() => RunAsync(Options(
            ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port}"), new TlsClientOptions { Insecure = true })));

        Assert.Contains("TLS handshake", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task ASilentServerFailsTheHandshakeWithinItsTimeout()
    {
        await using var server = StreamEchoServer.Tcp(tls: false, silent: true);

        var ex = await Assert.ThrowsAsync<EchoLoadException>(() => RunAsync(Options(
            ConnectionEndpoint.Parse($"tls://127.0.0.1:{server.Port}"),
            new TlsClientOptions { Insecure = true, HandshakeTimeout = TimeSpan.FromMilliseconds(300) })));

        Assert.Contains("did not finish within 0.3 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverAUnixSocketEveryReplyIsVerified()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockit-load-{Guid.NewGuid():N}.sock");
        await using var server = StreamEchoServer.Unix(path);

        AssertClean(await RunAsync(Options(ConnectionEndpoint.Parse("unix:" + path))));
    }

    [Fact]
    public async Task OverAnAbstractUnixSocketEveryReplyIsVerified()
    {
        var name = $"sockit-load-{Guid.NewGuid():N}";
        await using var server = StreamEchoServer.Unix("\0" + name);

        AssertClean(await RunAsync(Options(ConnectionEndpoint.Parse("unix:@" + name))));
    }

    [Fact]
    public async Task AFullUnixBacklogIsWaitedFor()
    {
        // Linux refuses a non-blocking connect to a Unix socket whose backlog is full (EAGAIN) instead of queueing
        // it: with a backlog of 1 and a server that starts accepting late, most of 16 connects meet a full queue.
        var path = Path.Combine(Path.GetTempPath(), $"sockit-load-{Guid.NewGuid():N}.sock");
        await using var server = StreamEchoServer.Unix(path, backlog: 1, acceptDelay: TimeSpan.FromMilliseconds(300));

        var result = await RunAsync(Options(ConnectionEndpoint.Parse("unix:" + path)) with { Connections = 16 });

        AssertClean(result);
    }

    /// <summary>Echoes over TCP (optionally TLS with a fresh self-signed certificate) or a Unix socket.</summary>
    private sealed class StreamEchoServer : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly X509Certificate2? _certificate;
        private readonly bool _closeOnData;
        private readonly bool _silent;
        private readonly string? _path;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _clients = [];
        private readonly Task _accept;

        private readonly TimeSpan _acceptDelay;

        private StreamEchoServer(Socket listener, X509Certificate2? certificate, bool closeOnData, bool silent, string? path,
            int backlog = 64, TimeSpan acceptDelay = default)
        {
            _acceptDelay = acceptDelay;
            _listener = listener;
            _certificate = certificate;
            _closeOnData = closeOnData;
            _silent = silent;
            _path = path;
            _listener.Listen(backlog);
            _accept = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public byte[] Pin => System.Security.Cryptography.SHA256.HashData(_certificate!.RawData);

        public static StreamEchoServer Tcp(bool tls, bool closeOnData = false, bool silent = false)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var certificate = tls ? TlsCertificates.CreateSelfSigned(["localhost"], [IPAddress.Loopback]) : null;
            return new StreamEchoServer(listener, certificate, closeOnData, silent, null);
        }

        public static StreamEchoServer Unix(string path, int backlog = 64, TimeSpan acceptDelay = default)
        {
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            return new StreamEchoServer(listener, null, false, false, path.StartsWith('\0') ? null : path, backlog, acceptDelay);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            Task[] clients;
            lock (_clients)
            {
                clients = [.. _clients];
            }

            await Task.WhenAll(clients.Append(_accept)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
            if (_path is not null)
            {
                File.Delete(_path);
            }

            _certificate?.Dispose();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            try
            {
                await Task.Delay(_acceptDelay, _stop.Token);
                while (true)
                {
                    var client = await _listener.AcceptAsync(_stop.Token);
                    lock (_clients)
                    {
                        _clients.Add(EchoAsync(client));
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task EchoAsync(Socket client)
        {
            Stream stream = new NetworkStream(client, ownsSocket: true);
            try
            {
                var buffer = new byte[64 << 10];
                if (_silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token); // holds the connection, never answers
                    return;
                }

                if (_closeOnData)
                {
                    _ = await stream.ReadAsync(buffer, _stop.Token); // the first bytes (a ClientHello), then close
                    return;
                }

                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    stream = ssl;
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                }

                int n;
                while ((n = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }

                if (stream is SslStream tls)
                {
                    await tls.ShutdownAsync();
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException
                or System.Security.Authentication.AuthenticationException)
            {
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }
    }
}
