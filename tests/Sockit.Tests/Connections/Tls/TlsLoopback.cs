using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sockit.Connections;

namespace Sockit.Tests.Connections;

/// <summary>What happened on both ends of one loopback TLS handshake.</summary>
internal sealed record HandshakeResult(
    Exception? ServerError,
    Exception? ClientError,
    TlsVerifier ClientVerifier,
    TlsVerifier? ServerVerifier,
    string? ClientReceived,
    string? ServerSawClientSubject,
    SslApplicationProtocol ClientAlpn)
{
    public bool Succeeded => ServerError is null && ClientError is null && ClientReceived == "hello";
}

/// <summary>Real TLS over a real loopback TCP connection: SslStream on both ends, or a real external process
/// on one. Every wait is bounded by <see cref="Timeout"/>.</summary>
internal static class TlsLoopback
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Handshakes, then the server sends <c>hello\n</c> and the client answers one byte.</summary>
    public static async Task<HandshakeResult> HandshakeAsync(TlsServerOptions server, TlsClientOptions client, string dialledHost = "localhost")
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var listener = Listen();
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync(cts.Token);
        await clientSocket.ConnectAsync(listener.LocalEndPoint!, cts.Token);
        using var serverSocket = await accepting;

        var serverOptions = TlsVerifier.ServerAuthentication(server, out var serverVerifier);
        var clientOptions = TlsVerifier.ClientAuthentication(client, dialledHost, out var clientVerifier);
        var serverSide = ServeAsync(serverSocket, serverOptions, cts.Token);
        var clientSide = ClientAsync(clientSocket, clientOptions, cts.Token);
        await Task.WhenAll(serverSide, clientSide);
        var (serverError, clientSubject) = await serverSide;
        var (clientError, received, alpn) = await clientSide;
        return new HandshakeResult(serverError, clientError, clientVerifier, serverVerifier, received, clientSubject, alpn);
    }

    public static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        return listener;
    }

    /// <summary>The server end: handshake, send <c>hello\n</c>, wait for one byte back. Returns the failure (the
    /// socket is closed at once so the peer sees it) and the client certificate's subject, if one was presented.</summary>
    public static async Task<(Exception? Error, string? ClientSubject)> ServeAsync(Socket socket, SslServerAuthenticationOptions options, CancellationToken cancel)
    {
        try
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(options, cancel);
            var subject = tls.RemoteCertificate?.Subject;
            await tls.WriteAsync("hello\n"u8.ToArray(), cancel);
            await tls.FlushAsync(cancel);
            var ack = new byte[1];
            if (await tls.ReadAsync(ack, cancel) != 1)
            {
                throw new IOException("the client closed without acknowledging");
            }

            return (null, subject);
        }
        catch (Exception e)
        {
            socket.Dispose();
            return (e, null);
        }
    }

    private static async Task<(Exception? Error, string? Received, SslApplicationProtocol Alpn)> ClientAsync(Socket socket, SslClientAuthenticationOptions options, CancellationToken cancel)
    {
        try
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(options, cancel);
            var text = new StringBuilder();
            var buffer = new byte[64];
            while (!text.ToString().EndsWith('\n'))
            {
                var n = await tls.ReadAsync(buffer, cancel);
                if (n == 0)
                {
                    throw new IOException($"EOF after '{text}'");
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            await tls.WriteAsync(new byte[] { (byte)'!' }, cancel);
            await tls.FlushAsync(cancel);
            return (null, text.ToString().TrimEnd('\n'), tls.NegotiatedApplicationProtocol);
        }
        catch (Exception e)
        {
            socket.Dispose();
            return (e, null, default);
        }
    }

    /// <summary>Runs a real process to completion within <see cref="Timeout"/> and returns what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{file} did not start");
        using var cts = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {Timeout}");
        }

        return (process.ExitCode, await output, await errors);
    }

    public static X509Certificate2Collection Collection(params X509Certificate2[] certificates) => [.. certificates];
}
