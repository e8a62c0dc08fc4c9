using System.Diagnostics;

namespace Sockit.Tests.Framing;

/// <summary>Runs a python3 script as a real process, with a bounded wait, and returns what it printed.</summary>
internal static class Python
{
    public static async Task<string> RunAsync(string script, string input = "")
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockit-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, script);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3", [path])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("python3 did not start");
            using var timeout = new CancellationTokenSource(Timeouts.Process);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new TimeoutException($"python3 did not finish within {Timeouts.Process}");
            }

            Assert.True(process.ExitCode == 0, $"python3 exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
