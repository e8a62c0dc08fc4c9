using System.Diagnostics;
using System.Threading.Channels;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Udp;

/// <summary>A python3 script running beside the test (a UDP server or a group sender), read line by line with bounded waits.</summary>
internal sealed class PythonPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task<string> _stderr;

    private PythonPeer(Process process)
    {
        _process = process;
        _ = PumpAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static PythonPeer Start(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new PythonPeer(Process.Start(psi) ?? throw new InvalidOperationException("could not start python3"));
    }

    /// <summary>The next line the script printed, or a <see cref="TimeoutException"/>.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? SockitProcess.DefaultTimeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"python printed no line in time; stderr: {(_process.HasExited ? await _stderr : "(running)")}");
        }
    }

    /// <summary>Writes <paramref name="command"/> to the script's stdin and returns the line it answers with.</summary>
    public async Task<string> CommandAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadLineAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(SockitProcess.DefaultTimeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(SockitProcess.DefaultTimeout);
        }

        _process.Dispose();
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line);
        }

        _lines.Writer.Complete();
    }
}
