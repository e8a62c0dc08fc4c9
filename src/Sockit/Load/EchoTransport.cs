using System.Net.Security;
using System.Net.Sockets;

namespace Sockit.Load;

/// <summary>
/// What one bench connection reads and writes: a <see cref="NetworkStream"/> over the connected socket, or for TLS
/// an <see cref="SslStream"/> over that. The stream owns the socket; the socket is kept for the half-close and for
/// aborting a run.
/// </summary>
internal sealed class EchoTransport : IDisposable
{
    private EchoTransport(Socket socket, Stream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    public Socket Socket { get; }

    /// <summary>The bytes: a <see cref="NetworkStream"/>, or an <see cref="SslStream"/> over one.</summary>
    public Stream Stream { get; }

    /// <summary>Plaintext over TCP or a Unix socket.</summary>
    public static EchoTransport Plain(Socket socket) => new(socket, new NetworkStream(socket, ownsSocket: true));

    /// <summary>TLS: <paramref name="tls"/> is an authenticated stream over a <see cref="NetworkStream"/> that owns <paramref name="socket"/>.</summary>
    public static EchoTransport Tls(Socket socket, SslStream tls) => new(socket, tls);

    public void Dispose()
    {
        Stream.Dispose();
        Socket.Dispose();
    }
}
