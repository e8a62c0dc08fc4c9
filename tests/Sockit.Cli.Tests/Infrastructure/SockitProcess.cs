using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sockit.Cli.Tests.Infrastructure;

/// <summary>
/// The real <c>sockit</c> executable (or, through <see cref="StartProgram"/>, a long-lived peer such as ncat or a
/// python3 server), run as a child process with its output pumped and every wait bounded.
/// </summary>
public sealed class SockitProcess : IAsyncDisposable
{
    /// <summary>How long any single wait in a CLI test may take before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stderrLines = [];
    private readonly SemaphoreSlim _stderrSignal = new(0);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private SockitProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _stdoutPump = PumpAsync(process.StandardOutput, _stdout, null);
        _stderrPump = PumpAsync(process.StandardError, _stderr, _stderrLines);
    }

    /// <summary>Path of the built <c>sockit</c> apphost next to this test assembly's configuration.</summary>
    public static string ExecutablePath { get; } = FindExecutable();

    /// <summary>The process's standard input (UTF-8, no BOM).</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Writes <paramref name="text"/> to standard input and flushes it, so the process sees it now.</summary>
    public async Task WriteInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The raw standard output stream is pumped; this is what has arrived so far.</summary>
    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public int Id => _process.Id;

    /// <summary>Starts <c>sockit ARGS</c>.</summary>
    /// <remarks>
    /// When this test run has SIGINT ignored (a non-interactive shell starts background jobs that way, children
    /// inherit it, and .NET then leaves Ctrl-C ignored), sockit is started through python3, which restores the
    /// default and execs it under the same process id; otherwise <see cref="Interrupt"/> would do nothing.
    /// </remarks>
    public static SockitProcess Start(params string[] args) =>
        SigintIgnored.Value
            ? StartProgram("python3", ["-c", RestoreSigintAndExec, ExecutablePath, .. args])
            : StartProgram(ExecutablePath, args);

    /// <summary>
    /// Starts another program (ncat, python3…) that must stay up while the test talks to it, with the same
    /// pumps and bounded waits as <c>sockit</c>. Dispose kills it if it is still running.
    /// </summary>
    public static SockitProcess StartProgram(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        var name = Path.GetFileName(program);
        return new SockitProcess(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}"), name);
    }

    /// <summary>Runs <c>sockit ARGS</c> to completion, feeding <paramref name="stdin"/> then closing it.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        await using var p = Start(args);
        try
        {
            if (stdin is not null)
            {
                await p.StandardInput.WriteAsync(stdin);
            }

            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // sockit exited (a usage error) or closed its stdin without reading it: EPIPE here is not a failure.
        }
        var code = await p.WaitForExitAsync(DefaultTimeout);
        return (code, p.Stdout, p.Stderr);
    }

    /// <summary>Waits for a stderr line matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<string> WaitForStderrLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var seen = 0;
        while (true)
        {
            lock (_stderrLines)
            {
                for (; seen < _stderrLines.Count; seen++)
                {
                    if (predicate(_stderrLines[seen]))
                    {
                        return _stderrLines[seen];
                    }
                }
            }

            if (_process.HasExited && _stderrPump.IsCompleted)
            {
                throw new InvalidOperationException($"{_name} exited ({_process.ExitCode}) before the expected line; stderr:\n{Stderr}");
            }

            try
            {
                await _stderrSignal.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching stderr line in time; stderr so far:\n{Stderr}");
            }
        }
    }

    /// <summary>The port from the <c>listening on HOST:PORT</c> line, once <see cref="WaitForListeningPortAsync"/> has read it.</summary>
    public int Port { get; private set; }

    /// <summary>Waits for <c>listening on HOST:PORT</c> on stderr and returns the port (also kept in <see cref="Port"/>).</summary>
    public async Task<int> WaitForListeningPortAsync()
    {
        var line = await WaitForStderrLineAsync(l => l.Contains("listening on ", StringComparison.Ordinal));
        var endpoint = line[(line.IndexOf("listening on ", StringComparison.Ordinal) + "listening on ".Length)..].Split(' ')[0];
        Port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return Port;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/>.</summary>
    public async Task WaitForStdoutAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"stdout never contained '{text}'; stdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            if (_process.HasExited && _stdoutPump.IsCompleted && !Stdout.Contains(text, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{_name} exited before printing '{text}'; stdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the process to exit; kills it and fails on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_name} did not exit in time; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(DefaultTimeout);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT (what Ctrl-C sends) so the command can stop gracefully.</summary>
    public void Interrupt() => Signal("INT");

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends the signal <paramref name="name"/> (<c>INT</c>, <c>TERM</c>) at once, with kill(2) rather than a kill process.</summary>
    public void Signal(string name)
    {
        var number = name switch
        {
            "INT" => 2,
            "TERM" => 15,
            "KILL" => 9,
            _ => throw new ArgumentException($"unknown signal '{name}'", nameof(name)),
        };
        if (Kill(_process.Id, number) != 0)
        {
            throw new InvalidOperationException($"kill -{name} {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(DefaultTimeout);
        }

        _process.Dispose();
        _stderrSignal.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder sink, List<string>? lines)
    {
        var buffer = new char[4096];
        var pending = new StringBuilder();
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, n);
            }

            if (lines is null)
            {
                continue;
            }

            pending.Append(buffer, 0, n);
            var text = pending.ToString();
            var nl = text.LastIndexOf('\n');
            if (nl < 0)
            {
                continue;
            }

            lock (lines)
            {
                lines.AddRange(text[..nl].Split('\n').Select(l => l.TrimEnd('\r')));
            }

            pending.Clear().Append(text[(nl + 1)..]);
            _stderrSignal.Release();
        }

        if (lines is not null && pending.Length > 0)
        {
            lock (lines)
            {
                lines.Add(pending.ToString());
            }
        }

        _stderrSignal.Release();
    }

    private const string RestoreSigintAndExec =
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])";

    private static readonly Lazy<bool> SigintIgnored = new(() =>
    {
        // SigIgn in /proc/self/status is a hex mask; bit 1 is SIGINT (signal 2).
        var mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    });

    private static string FindExecutable()
    {
        // tests/Sockit.Cli.Tests/bin/<Configuration>/net10.0/ -> src/Sockit.Cli/bin/<Configuration>/net10.0/sockit
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var repo = testDir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repo, "src", "Sockit.Cli", "bin", configuration, tfm, "sockit");
        return File.Exists(path) ? path : throw new FileNotFoundException("build src/Sockit.Cli first", path);
    }
}
