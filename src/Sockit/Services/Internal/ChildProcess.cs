using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sockit.Services.Internal;

/// <summary>
/// One <c>SHELL -c COMMAND</c> child whose stdin and stdout are one end of a Unix socket pair and whose stderr is
/// one end of another, in a process group of its own, so that a stop reaches everything it started (a pipeline, a
/// background job), and so that a Ctrl-C meant for sockit reaches it only through sockit's orderly stop.
/// </summary>
/// <remarks>
/// <para>Why socket pairs, not the pipes <see cref="Process"/> makes: .NET reads and writes an anonymous pipe by
/// blocking a thread-pool thread per call, so every child would hold two threads for its whole life (64 children
/// starved the pool: 4× slower than ncat). A socket is read through epoll like the connection itself. socat's
/// <c>EXEC</c> uses a socket pair too; ncat gives the child the connection's own socket.</para>
/// <para>The child ends are inherited (no close-on-exec) only while this process starts the child, under a lock so
/// that no other child inherits them. bash moves them onto 0, 1 and 2 and closes the originals
/// (<c>exec 0&lt;&amp;N 1&gt;&amp;N 2&gt;&amp;M N&gt;&amp;- M&gt;&amp;-</c>), then execs <c>SHELL -c COMMAND</c> in
/// the same process: dash, Debian's /bin/sh, refuses descriptors above 9. Without bash the shell itself is asked to do
/// it (busybox ash, ksh and zsh can).</para>
/// <para>The group comes from util-linux <c>setsid</c>, which calls setsid(2) and execs the shell in the same process
/// (the pid .NET reports is the shell's, and <c>$$</c>). Where <c>setsid</c> is missing, signals go to the shell alone
/// and SIGKILL falls back to <see cref="Process.Kill(bool)"/> on the process tree, which misses what the shell orphaned.</para>
/// </remarks>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    private static readonly Lock StartGate = new();
    private static readonly string? BashPath = new[] { "/bin/bash", "/usr/bin/bash" }.FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly bool _ownGroup;

    private ChildProcess(Process process, bool ownGroup, Socket stdio, Socket stderr)
    {
        _process = process;
        _ownGroup = ownGroup;
        Id = process.Id;
        Stdio = stdio;
        StandardError = new NetworkStream(stderr, ownsSocket: true);
    }

    /// <summary>The child's process id (the shell's; with <c>exec</c> in the command, the command's).</summary>
    public int Id { get; }

    /// <summary>Our end of the child's stdin and stdout: send to write its stdin, shut down sending to end it, receive to read its stdout.</summary>
    public Socket Stdio { get; }

    /// <summary>Our end of the child's stderr (read only).</summary>
    public Stream StandardError { get; }

    /// <summary>The exit status once exited: 0–255, or 128 + the signal that ended it.</summary>
    public int ExitStatus => _process.ExitCode;

    /// <summary>Starts <c>SHELL -c COMMAND</c> with <paramref name="environment"/> added to this process's own.</summary>
    /// <exception cref="ExecStartException">No shell at that path, or the system could not start a process or make its sockets.</exception>
    public static ChildProcess Start(string shell, string command, IEnumerable<KeyValuePair<string, string>> environment)
    {
        if (!File.Exists(shell))
        {
            throw new ExecStartException($"cannot run '{command}': no shell at {shell}");
        }

        var ownGroup = SetsidPath is not null;
        var redirecting = BashPath ?? shell;
        var start = new ProcessStartInfo(ownGroup ? SetsidPath! : redirecting) { UseShellExecute = false };
        if (ownGroup)
        {
            start.ArgumentList.Add(redirecting);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        lock (StartGate)
        {
            var (stdio, childStdio) = SocketPair(command);
            var (stderr, childStderr) = SocketPair(command);
            try
            {
                // $0 is the shell and $1 the command: neither is ever parsed as part of this script.
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add($"exec 0<&{childStdio} 1>&{childStdio} 2>&{childStderr} {childStdio}>&- {childStderr}>&- && exec \"$0\" -c \"$1\"");
                start.ArgumentList.Add(shell);
                start.ArgumentList.Add(command);
                var process = Process.Start(start) ?? throw new ExecStartException($"cannot run '{command}': the process did not start");
                return new ChildProcess(process, ownGroup, stdio, stderr);
            }
            catch (Win32Exception ex)
            {
                stdio.Dispose();
                stderr.Dispose();
                throw new ExecStartException($"cannot run '{command}': {ex.Message}", ex);
            }
            finally
            {
                _ = Close(childStdio);
                _ = Close(childStderr);
            }
        }
    }

    /// <summary>Completes when the child has exited (and been reaped). Never faults.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync(CancellationToken.None);

    /// <summary>
    /// Stops the child: SIGTERM to its group, then, when <paramref name="finished"/> has not completed within
    /// <paramref name="grace"/>, SIGKILL to the group. Returns true when SIGKILL was needed.
    /// </summary>
    public async Task<bool> StopAsync(Task finished, TimeSpan grace)
    {
        Signal(SigTerm);
        try
        {
            await finished.WaitAsync(grace).ConfigureAwait(false);
            return false;
        }
        catch (TimeoutException)
        {
        }

        Signal(SigKill);
        if (!_ownGroup)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stdio.Dispose();
        StandardError.Dispose();
        _process.Dispose();
    }

    /// <summary>Sends <paramref name="signal"/> to the child's group (or to the child alone); a group already gone is no error.</summary>
    private void Signal(int signal) => _ = Kill(_ownGroup ? -Id : Id, signal);

    /// <summary>A connected pair of Unix stream sockets: ours (close-on-exec, as a <see cref="Socket"/>) and the child's (inheritable, a descriptor).</summary>
    private static unsafe (Socket Ours, int Child) SocketPair(string command)
    {
        var fds = stackalloc int[2];
        if (SocketPairNative(AfUnix, SockStream, 0, fds) != 0)
        {
            throw new ExecStartException($"cannot run '{command}': socketpair failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        _ = FcntlSetFd(fds[0], FSetFd, FdCloexec);
        return (new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), fds[1]);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static unsafe partial int SocketPairNative(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int FcntlSetFd(int fd, int command, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
