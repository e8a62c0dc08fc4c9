using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit;

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

    /// <summary>
    /// Every member of one chat room sends <paramref name="lines"/> numbered lines at once; then each asserts it got
    /// every other member's lines exactly once, in that member's order, under its name, and none of its own.
    /// </summary>
    public static async Task AssertEveryLineReachesEveryOtherMemberOnceInOrderAsync(IReadOnlyList<LineClient> members, int lines)
    {
        var names = members.Select(c => c.Name).ToArray();
        await Task.WhenAll(members.Select((c, k) => c.SendAsync(string.Concat(Enumerable.Range(0, lines).Select(i => $"{k} {i}\n")))));
        await Task.WhenAll(members.Select(async (member, me) =>
        {
            var next = new int[members.Count];
            for (var received = 0; received < (members.Count - 1) * lines; received++)
            {
                var words = (await member.ReadMessageAsync()).Split(' ');
                var sender = int.Parse(words[1], CultureInfo.InvariantCulture);
                Assert.NotEqual(me, sender); // never one's own line back, from this node or another
                Assert.Equal($"[{names[sender]}]", words[0]);
                Assert.Equal(next[sender]++, int.Parse(words[2], CultureInfo.InvariantCulture)); // in order, nothing twice, nothing skipped
            }
        }));
    }
}
