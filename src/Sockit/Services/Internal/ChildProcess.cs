using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sockit.Services.Internal;

/// <summary>
/// One <c>SHELL -c COMMAND</c> child with its three standard streams redirected to pipes, in a process group of its own
/// so that a stop reaches everything it started (a pipeline, a background job), and so that a Ctrl-C meant for
/// sockit reaches it only through sockit's orderly stop.
/// </summary>
/// <remarks>
/// The group comes from util-linux <c>setsid</c>, which calls setsid(2) and execs the shell in the same process (the
/// pid .NET reports is the shell's, and <c>$$</c>). Where <c>setsid</c> is missing, signals go to the shell alone and
/// SIGKILL falls back to <see cref="Process.Kill(bool)"/> on the process tree, which misses what the shell orphaned.
/// </remarks>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly bool _ownGroup;

    private ChildProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
        Id = process.Id;
    }

    /// <summary>The child's process id (the shell's; with <c>exec</c> in the command, the command's).</summary>
    public int Id { get; }

    /// <summary>The write end of the child's stdin.</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    /// <summary>The read end of the child's stdout.</summary>
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>The read end of the child's stderr.</summary>
    public Stream StandardError => _process.StandardError.BaseStream;

    /// <summary>The exit status once exited: 0–255, or 128 + the signal that ended it.</summary>
    public int ExitStatus => _process.ExitCode;

    /// <summary>Starts <c>SHELL -c COMMAND</c> with <paramref name="environment"/> added to this process's own.</summary>
    /// <exception cref="ExecStartException">No shell at that path, or the system could not start a process.</exception>
    public static ChildProcess Start(string shell, string command, IEnumerable<KeyValuePair<string, string>> environment)
    {
        if (!File.Exists(shell))
        {
            throw new ExecStartException($"cannot run '{command}': no shell at {shell}");
        }

        var ownGroup = SetsidPath is not null;
        var start = new ProcessStartInfo(ownGroup ? SetsidPath! : shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (ownGroup)
        {
            start.ArgumentList.Add(shell);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            return new ChildProcess(Process.Start(start) ?? throw new ExecStartException($"cannot run '{command}': the process did not start"), ownGroup);
        }
        catch (Win32Exception ex)
        {
            throw new ExecStartException($"cannot run '{command}': {ex.Message}", ex);
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
    public void Dispose() => _process.Dispose();

    /// <summary>Sends <paramref name="signal"/> to the child's group (or to the child alone); a group already gone is no error.</summary>
    private void Signal(int signal) => _ = Kill(_ownGroup ? -Id : Id, signal);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
