using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Files;

/// <summary>Shared steps of the file transfer tests: scratch directories, a receiver on 127.0.0.1 port 0, a python3 peer that speaks the protocol.</summary>
internal static class FilesCli
{
    /// <summary>
    /// docs/protocol.md's messages in python3, for a test peer written by hand (after <see cref="TcpCli.PythonFrameHelpers"/>,
    /// with <c>hashlib</c> and <c>struct</c> imported): <c>varint(n)</c>, <c>msg(payload)</c>, <c>entry(...)</c>,
    /// <c>trailer(data)</c>, <c>END</c>, <c>read_varint(s)</c>, <c>read_msg(s)</c>, <c>answer(m)</c>.
    /// </summary>
    internal const string PythonProtocol = """
        def varint(n):
            out = b''
            while n >= 0x80:
                out += bytes([(n & 0x7f) | 0x80])
                n >>= 7
            return out + bytes([n])

        def msg(payload):
            return varint(len(payload)) + payload

        def entry(name, size=0, kind=0, flags=0, mode=0o644, mtime_ns=0):
            raw = name if isinstance(name, bytes) else name.encode()
            return msg(bytes([1, kind, flags]) + varint(size) + varint(mode) + struct.pack('>q', mtime_ns) + raw)

        def trailer(data):
            return msg(b'\x03' + hashlib.sha256(data).digest())

        END = msg(b'\x04')

        def read_varint(s):
            n, shift = 0, 0
            while True:
                b = recv_exactly(s, 1)[0]
                n |= (b & 0x7f) << shift
                shift += 7
                if b < 0x80:
                    return n

        def read_msg(s):
            return recv_exactly(s, read_varint(s))

        def answer(m):
            # 'verified', or 'failed CODE reason', or 'offer N'
            if m == b'\x11':
                return 'verified'
            if m[0] == 0x12:
                return 'failed %d %s' % (m[1], m[2:].decode())
            if m[0] == 0x13:
                return 'offer %d' % m[1]
            return 'unexpected %r' % m

        """;

    /// <summary>
    /// A python3 sender speaking docs/protocol.md by hand (so the receiver is tested against what any sender may send,
    /// not only ours): <see cref="PythonProtocol"/> and <c>greet()</c>. The port is <c>sys.argv[1]</c>; sockets time
    /// out after 20 s.
    /// </summary>
    private const string PythonPeer = """
        import hashlib, os, socket, struct, sys, time
        PORT = int(sys.argv[1])

        """ + TcpCli.PythonFrameHelpers + PythonProtocol + """
        def greet():
            s = socket.create_connection(('127.0.0.1', PORT), timeout=20)
            s.sendall(b'SKSEND\x01\x00')
            g = recv_exactly(s, 8)
            assert g == b'SKRECV\x01\x00', g
            return s

        """;

    /// <summary>Starts <c>sockit receive 127.0.0.1:0 --dir DIR ARGS</c> and reads its port.</summary>
    public static Task<SockitProcess> ReceiveAsync(string dir, params string[] args) =>
        TcpCli.ListeningAsync(SockitProcess.Start(["receive", "127.0.0.1:0", "--dir", dir, .. args]));

    /// <summary>Runs <c>sockit send 127.0.0.1:PORT ARGS</c> to completion.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> SendAsync(int port, params string[] args) =>
        SockitProcess.RunAsync(null, ["send", $"127.0.0.1:{TcpCli.Text(port)}", .. args]);

    /// <summary>
    /// Runs <c>sockit send --resume -v</c> of <paramref name="file"/> and asserts that it finished the partial file
    /// <paramref name="inbox"/> held: verified from byte <paramref name="from"/>, the same SHA-256, no partial file left.
    /// </summary>
    public static async Task AssertResumesAsync(int port, string file, string inbox, long from)
    {
        var name = Path.GetFileName(file);
        var resumed = await SendAsync(port, file, "--resume", "-v");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Matches($@"{Regex.Escape(name)}: verified \(.*, resumed at byte {from}\)", resumed.Stderr);
        Assert.Equal(Sha256(file), Sha256(Path.Join(inbox, name)));
        Assert.False(File.Exists(Path.Join(inbox, $".{name}.sockit-part")));
    }

    /// <summary>Runs a python3 peer script (see <see cref="PythonPeer"/>) against <paramref name="port"/>; asserts it succeeded and returns its stdout.</summary>
    public static async Task<string> PythonPeerAsync(int port, string script)
    {
        var (code, stdout, stderr) = await ExternalTool.PythonAsync(PythonPeer + script, TcpCli.Text(port));
        Assert.True(code == 0, $"python3 failed ({code}):\n{stderr}\nstdout:\n{stdout}");
        return stdout;
    }

    /// <summary>Writes <paramref name="length"/> bytes from a seeded generator (fast, reproducible) to <paramref name="path"/>.</summary>
    public static void WriteSeeded(string path, long length, int seed = 1)
    {
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (var left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    /// <summary>The SHA-256 of a file, hex.</summary>
    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Every file and directory under <paramref name="root"/>, relative, sorted (to compare trees).</summary>
    public static string[] Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p) + (Directory.Exists(p) ? "/" : ""))
            .Order(StringComparer.Ordinal).ToArray();
}

/// <summary>
/// The file transfer tests move hundreds of megabytes and thousands of files: they run alone, one at a time, so they
/// neither starve the timing-sensitive tests of other classes on a loaded 2-core machine nor are starved by them.
/// </summary>
[CollectionDefinition(nameof(FileTransferTestsAlone), DisableParallelization = true)]
public sealed class FileTransferTestsAlone;

/// <summary>A scratch directory, deleted at the end of the test.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sockit-files-").FullName;
    }

    public string Path { get; }

    /// <summary>A subdirectory, created.</summary>
    public string Make(string name) => Directory.CreateDirectory(System.IO.Path.Join(Path, name)).FullName;

    public string this[string relative] => System.IO.Path.Join(Path, relative);

    public void Dispose()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(dir, (UnixFileMode)0x1C0); // read-only folders received in a test must still go
                }
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
