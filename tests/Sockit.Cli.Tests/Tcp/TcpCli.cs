using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Tcp;

/// <summary>Shared steps of the TCP command-line tests: a server on 127.0.0.1 port 0, python3 peers, nc.</summary>
internal static class TcpCli
{
    /// <summary>Python helpers both preludes share: exact reads, <c>struct.pack('!I', n)</c> frames, lines.</summary>
    internal const string PythonFrameHelpers = """
        def recv_exactly(s, n):
            data = b''
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk:
                    raise EOFError('peer closed after %d of %d bytes' % (len(data), n))
                data += chunk
            return data

        def frame(payload):
            return struct.pack('!I', len(payload)) + payload

        def recv_frame(s):
            (n,) = struct.unpack('!I', recv_exactly(s, 4))
            return recv_exactly(s, n)

        def recv_line(s):
            line = b''
            while not line.endswith(b'\n'):
                b = s.recv(1)
                if not b:
                    raise EOFError('peer closed mid-line after %r' % line)
                line += b
            return line

        def recv_until_eof(s):
            data = b''
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    return data
                data += chunk

        """;

    /// <summary>
    /// Prepended to every python3 script: the port is <c>sys.argv[1]</c>; every socket has a 20 s timeout so a
    /// script fails instead of hanging; helpers for exact reads, lines and <c>struct.pack('!I', n)</c> frames.
    /// </summary>
    private const string PythonPrelude = """
        import socket, struct, sys, threading, time
        PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 0

        def connect():
            s = socket.create_connection(('127.0.0.1', PORT), timeout=20)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s

        """ + PythonFrameHelpers + """
        def sync(sender, receiver, within=20):
            # Sends frame(b'sync') until receiver has one: both are then in the room (broker, stdio fan-out).
            end = time.time() + within
            receiver.settimeout(0.2)
            while True:
                sender.sendall(frame(b'sync'))
                try:
                    if recv_frame(receiver) == b'sync':
                        break
                except socket.timeout:
                    if time.time() > end:
                        raise
            receiver.settimeout(20)

        """;

    /// <summary>Starts <c>sockit listen 127.0.0.1:0 ARGS</c> and reads the port it printed (<see cref="SockitProcess.Port"/>).</summary>
    public static Task<SockitProcess> ListenAsync(params string[] args) =>
        ListeningAsync(SockitProcess.Start(["listen", "127.0.0.1:0", .. args]));

    /// <summary>
    /// Starts a python3 server script that finds <c>listener</c> bound to 127.0.0.1 port 0 and listening, and
    /// reads its port (<see cref="SockitProcess.Port"/>): it announces itself on stderr the way sockit does, before
    /// the script runs, or when the script calls <c>announce()</c> if <paramref name="announceFirst"/> is false.
    /// </summary>
    public static Task<SockitProcess> PythonServerAsync(string script, bool announceFirst = true)
    {
        const string Listen = """
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(('127.0.0.1', 0))
            listener.listen(5)
            listener.settimeout(20)

            def announce():
                print('listening on 127.0.0.1:%d' % listener.getsockname()[1], file=sys.stderr, flush=True)

            """;
        return ListeningAsync(SockitProcess.StartProgram("python3", "-c", PythonPrelude + Listen + (announceFirst ? "announce()\n" : "") + script));
    }

    /// <summary>Runs a python3 client script (see <see cref="PythonPrelude"/>) against <paramref name="port"/>; asserts it succeeded and returns its stdout.</summary>
    public static async Task<string> PythonClientAsync(int port, string script)
    {
        var (code, stdout, stderr) = await ExternalTool.PythonAsync(PythonPrelude + script, Text(port));
        Assert.True(code == 0, $"python3 failed ({code}):\n{stderr}\nstdout:\n{stdout}");
        return stdout;
    }

    /// <summary>Starts a python3 client script (see <see cref="PythonPrelude"/>) that must stay up while the test goes on.</summary>
    public static SockitProcess StartPythonClient(int port, string script) =>
        SockitProcess.StartProgram("python3", "-u", "-c", PythonPrelude + script, Text(port));

    /// <summary><c>ncat 127.0.0.1 PORT</c>, kept running: write to its stdin, watch its stdout; closing stdin half-closes.</summary>
    public static SockitProcess StartNcat(int port) => SockitProcess.StartProgram("ncat", "127.0.0.1", Text(port));

    /// <summary>Runs <c>sockit connect 127.0.0.1 PORT OPTIONS</c> with <paramref name="stdin"/>; asserts exit 0 and returns what it printed.</summary>
    public static async Task<(string Stdout, string Stderr)> ConnectAsync(int port, string stdin, params string[] options)
    {
        var (code, stdout, stderr) = await SockitProcess.RunAsync(stdin, ["connect", "127.0.0.1", Text(port), .. options]);
        Assert.True(code == 0, $"sockit connect exited {code}:\n{stderr}");
        return (stdout, stderr);
    }

    /// <summary><c>printf STDIN | nc -N 127.0.0.1 PORT</c>: sends, shuts down its side at EOF, prints the replies.</summary>
    public static async Task<string> NetcatAsync(int port, string stdin)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync("nc", ["-N", "127.0.0.1", Text(port)], stdin);
        Assert.True(code == 0, $"nc failed ({code}): {stderr}");
        return stdout;
    }

    /// <summary>An integer as invariant text.</summary>
    public static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Asserts a run failed the way the contract says: <paramref name="exitCode"/>, nothing on stdout, and exactly
    /// one <c>sockit: …</c> line on stderr containing each of <paramref name="mentions"/>. Returns that line.
    /// </summary>
    public static string AssertOneLineFailure((int ExitCode, string Stdout, string Stderr) run, int exitCode, params string[] mentions)
    {
        Assert.True(run.ExitCode == exitCode, $"exit code {run.ExitCode}, expected {exitCode}; stderr:\n{run.Stderr}");
        Assert.Equal("", run.Stdout);
        var lines = run.Stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"expected one stderr line, got:\n{run.Stderr}");
        Assert.StartsWith("sockit: ", lines[0], StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        }

        return lines[0];
    }

    /// <summary>Waits for <paramref name="server"/>'s listening line (its port); disposes it and rethrows if that fails.</summary>
    public static async Task<SockitProcess> ListeningAsync(SockitProcess server)
    {
        try
        {
            await server.WaitForListeningPortAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
