using System.Diagnostics;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Bench;

/// <summary>
/// A Python echo server on 127.0.0.1 port 0: the benchmark's own <c>bench/baselines/asyncio_echo.py</c>, or a
/// script given as text. It prints <c>listening on 127.0.0.1:PORT</c>; the port is read from there.
/// </summary>
internal sealed class PythonEchoServer : IAsyncDisposable
{
    private readonly Process _process;

    private PythonEchoServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Path of a file in the repository, found from this test assembly's output folder.</summary>
    public static string RepositoryFile(string relative)
    {
        // tests/Sockit.Cli.Tests/bin/<Configuration>/<tfm>/ -> repository root
        var root = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.Parent!.Parent!;
        return Path.Combine(root.FullName, relative);
    }

    /// <summary>Starts <c>asyncio_echo.py 0 --framing FRAMING</c>.</summary>
    public static Task<PythonEchoServer> StartBaselineAsync(string framing) =>
        StartAsync([RepositoryFile("bench/baselines/asyncio_echo.py"), "0", "--framing", framing]);

    /// <summary>Starts a server from script text; it must print <c>listening on HOST:PORT</c> first.</summary>
    public static Task<PythonEchoServer> StartScriptAsync(string script) => StartAsync(["-c", script]);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(SockitProcess.DefaultTimeout);
        }

        _process.Dispose();
    }

    private static async Task<PythonEchoServer> StartAsync(string[] args)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(SockitProcess.DefaultTimeout)
                ?? throw new InvalidOperationException("python3 exited before listening: " + await process.StandardError.ReadToEndAsync());
            var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return new PythonEchoServer(process, port);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }
}
