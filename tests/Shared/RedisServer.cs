using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sockit.Testing;

/// <summary>
/// A real <c>redis-server</c> (the Debian package <c>.ci/run</c> installs) for one test: no TCP port
/// (<c>--port 0</c>), a Unix socket in a fresh temporary folder, no persistence. Started and answered (PING, PONG)
/// before <see cref="Start"/> returns, under a timeout; <see cref="Kill"/> and <see cref="Restart"/> stop and start
/// it on the same socket mid-test; disposing stops it and removes the folder.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _folder;
    private Process? _process;

    private RedisServer(string folder)
    {
        _folder = folder;
        SocketPath = Path.Combine(folder, "redis.sock");
    }

    /// <summary>The Unix socket it listens on.</summary>
    public string SocketPath { get; }

    /// <summary>How <c>--backplane</c> and <c>RedisAddress.Parse</c> name it.</summary>
    public string Url => "redis+unix://" + SocketPath;

    /// <summary>Starts a fresh server and waits until it answers.</summary>
    public static RedisServer Start()
    {
        // Short: a Unix socket path has at most 107 bytes.
        var folder = Directory.CreateTempSubdirectory("redis-").FullName;
        var server = new RedisServer(folder);
        try
        {
            server.Restart();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the server vanishes without a word, as a crashed one does. Returns when it has exited.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(Timeout);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server (again) on <see cref="SocketPath"/> and waits until it answers PING.</summary>
    public void Restart()
    {
        Kill();
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        foreach (var arg in new[] { "--port", "0", "--unixsocket", SocketPath, "--save", "", "--appendonly", "no", "--logfile", Path.Combine(_folder, "redis.log"), "--dir", _folder })
        {
            psi.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run does it)", ex);
        }

        var deadline = DateTime.UtcNow + Timeout;
        while (!AnswersPing())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on {SocketPath}: {Log()}");
            }

            Thread.Sleep(20); // polling a starting process, bounded by the deadline above
        }
    }

    /// <summary>What the server logged (for failure messages).</summary>
    public string Log()
    {
        var log = Path.Combine(_folder, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool AnswersPing()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = 2000;
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            socket.Send("PING\r\n"u8);
            var reply = new byte[7];
            var read = 0;
            while (read < reply.Length)
            {
                var n = socket.Receive(reply, read, reply.Length - read, SocketFlags.None);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(reply) == "+PONG\r\n";
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
