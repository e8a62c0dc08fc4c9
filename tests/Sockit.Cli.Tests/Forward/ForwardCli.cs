using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Forward;

/// <summary>Shared steps of the <c>sockit forward</c> tests: start a forwarder, find a port nobody listens on, read the inspector.</summary>
internal static partial class ForwardCli
{
    /// <summary>
    /// Starts <c>sockit forward LISTEN TARGET ARGS</c> and waits for its listening line; for a TCP LISTEN the port it
    /// printed is in <see cref="SockitProcess.Port"/>.
    /// </summary>
    public static async Task<SockitProcess> StartAsync(string listen, string target, params string[] args)
    {
        var forward = SockitProcess.Start(["forward", listen, target, .. args]);
        try
        {
            if (listen.StartsWith("unix:", StringComparison.Ordinal))
            {
                await forward.WaitForStderrLineAsync(l => l.Contains("listening on " + listen + " ", StringComparison.Ordinal));
            }
            else
            {
                await forward.WaitForListeningPortAsync();
            }

            return forward;
        }
        catch
        {
            await forward.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A python3 client step: connects and says whether it was reset (<c>reset</c>), saw a clean end (<c>eof</c>) or got
    /// data. The reset may come before <c>connect()</c> has seen its success (loopback is that fast): that is a reset too.
    /// </summary>
    public const string ExpectReset = """
        try:
            s = connect()
            print('eof' if s.recv(10) == b'' else 'data')
        except ConnectionResetError:
            print('reset')
        """;

    /// <summary>A python3 helper: <c>recv_hashed(s)</c> reads to the end of stream and returns the byte count and SHA-256.</summary>
    public const string RecvHashed = """
        import hashlib

        def recv_hashed(s):
            h = hashlib.sha256()
            n = 0
            while True:
                chunk = s.recv(1 << 16)
                if not chunk:
                    return n, h.hexdigest()
                h.update(chunk)
                n += len(chunk)

        """;

    /// <summary>Starts <c>sockit listen --mode echo</c> and <c>sockit forward 127.0.0.1:0</c> to it with <paramref name="args"/>.</summary>
    public static async Task<ForwardedEcho> EchoBehindForwardAsync(params string[] args)
    {
        var echo = await TcpCli.ListenAsync("--mode", "echo");
        try
        {
            return new ForwardedEcho(echo, await StartAsync("127.0.0.1:0", Local(echo.Port), args));
        }
        catch
        {
            await echo.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public static string Local(int port) => "127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A loopback port that was free a moment ago and has no listener (connecting to it is refused).</summary>
    public static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// The inspector's lines for <paramref name="direction"/> (<c>client>target</c> or <c>target>client</c>), with the
    /// time stamp checked and removed and the connection id checked to be one and the same and shown as <c>#N</c>.
    /// </summary>
    public static string[] InspectorLines(string stdout, string direction)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = new HashSet<string>();
        var result = new List<string>();
        foreach (var line in lines)
        {
            var match = InspectorLine().Match(line);
            Assert.True(match.Success, $"not an inspector line: '{line}'\nstdout:\n{stdout}");
            ids.Add(match.Groups["id"].Value);
            if (match.Groups["direction"].Value == direction)
            {
                result.Add(match.Groups["rest"].Value);
            }
        }

        Assert.True(ids.Count == 1, $"expected one connection id, got {string.Join(", ", ids)}");
        return [.. result];
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{6} #(?<id>\d+) (?<direction>client>target|target>client) (?<rest>.*)$")]
    private static partial Regex InspectorLine();
}
