using System.Diagnostics;

namespace Sockit.Cli.Tests.Infrastructure;

/// <summary>Runs real peers (python3, nc, ncat) with bounded waits.</summary>
public static class ExternalTool
{
    /// <summary>True when <paramref name="name"/> is on PATH.</summary>
    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, name)));

    /// <summary>Runs a program to completion with <paramref name="stdin"/>, killing it after the timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
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
            // The program closed its stdin or exited without reading it (EPIPE): that is its right, not a failure here.
        }
        using var cts = new CancellationTokenSource(timeout ?? SockitProcess.DefaultTimeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in time; stderr: {await stderrTask}");
        }

        return (p.ExitCode, await stdoutTask, await stderrTask);
    }

    /// <summary>Runs a python3 script given as text.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> PythonAsync(string script, params string[] args) =>
        RunAsync("python3", new[] { "-c", script }.Concat(args));
}
