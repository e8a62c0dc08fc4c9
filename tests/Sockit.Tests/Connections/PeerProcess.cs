using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Sockit.Tests.Connections;

/// <summary>
/// A real peer as a child process (python3, openssl, ncat, socat): its stdout and stderr read line by line as
/// they come, its stdin writable, every wait bounded by <see cref="Loopback.Timeout"/>, killed on dispose.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    /// <summary>The system python (not a pyenv shim), so <c>runuser -u nobody</c> can run it too.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _errors = new();

    private PeerProcess(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stdout.Writer.TryComplete();
            }
            else
            {
                _stdout.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderr.Writer.TryComplete();
                return;
            }

            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }

            _stderr.Writer.TryWrite(e.Data);
        };
        if (!_process.Start())
        {
            throw new InvalidOperationException($"{file} did not start");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Everything the process wrote to stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static PeerProcess Start(string file, params string[] arguments) => new(file, arguments);

    /// <summary>Runs a python script (unbuffered) with arguments.</summary>
    public static PeerProcess StartPython(string script, params string[] arguments) => new(Python, ["-u", "-c", script, .. arguments]);

    /// <summary>The next line of stdout; fails on EOF or timeout (with what the process wrote to stderr).</summary>
    public async Task<string> ReadLineAsync() =>
        await ReadLineOrNullAsync() ?? throw new Xunit.Sdk.XunitException($"{Name} closed stdout; stderr: {Errors}");

    /// <summary>The next line of stdout, or null at its end; fails on timeout.</summary>
    public Task<string?> ReadLineOrNullAsync() => ReadAsync(_stdout.Reader);

    /// <summary>The next line of stderr, or null at its end; fails on timeout.</summary>
    public Task<string?> ReadErrorLineAsync() => ReadAsync(_stderr.Reader);

    public async Task WriteAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to exit and returns its exit code; fails on timeout.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} did not exit within {Loopback.Timeout}; stderr: {Errors}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(Loopback.Timeout);
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private string Name => Path.GetFileName(_process.StartInfo.FileName);

    private async Task<string?> ReadAsync(ChannelReader<string> reader)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        try
        {
            return await reader.WaitToReadAsync(cts.Token) && reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} wrote no line within {Loopback.Timeout}; stderr: {Errors}");
        }
    }
}

/// <summary>
/// A fresh, short temporary directory for Unix socket files (sun_path holds at most 107 bytes), readable and
/// searchable by everyone (so a test can run a client as another user), deleted on dispose.
/// </summary>
internal sealed class UnixDir : IDisposable
{
    public UnixDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sk-" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..8].ToLowerInvariant());
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    public string Path { get; }

    /// <summary>A path in this directory.</summary>
    public string PathOf(string name = "s.sock") => System.IO.Path.Combine(Path, name);

    /// <summary>A random name in the abstract namespace, without its leading '@'.</summary>
    public static string AbstractName() => "sockit-test-" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..12].ToLowerInvariant();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
