using System.Net.Sockets;
using System.Text;

namespace Sockit.Testing;

/// <summary>A chat client: a socket read line by line, every read under 30 s unless told otherwise.</summary>
public sealed class LineClient(Socket socket) : IDisposable
{
    private readonly StreamReader _reader = new(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8);

    public Socket Socket => socket;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> (within 30 s).</summary>
    public static async Task<LineClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), cts.Token);
        return new LineClient(socket);
    }

    /// <summary>How the chat names this client: its address as the server sees it.</summary>
    public string Name => socket.LocalEndPoint!.ToString()!;

    public Task SendAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next line; fails at EOF or after <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("the server closed the connection");
    }

    /// <summary>The next line that is not a notice (<c>* …</c>).</summary>
    public async Task<string> ReadMessageAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadLineAsync(timeout);
            if (!line.StartsWith("* ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        socket.Dispose();
    }
}
