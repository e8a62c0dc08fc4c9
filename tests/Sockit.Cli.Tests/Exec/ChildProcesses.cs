using System.Globalization;

namespace Sockit.Cli.Tests.Exec;

/// <summary>Whether processes are still alive, from <c>/proc</c>, with bounded waits (no sleep as synchronisation).</summary>
internal static class ChildProcesses
{
    /// <summary>
    /// True while <paramref name="pid"/> runs. A zombie counts as gone: it has ended, and an orphan's zombie may wait for
    /// a container's init that never reaps it.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false; // No such process (FileNotFound/DirectoryNotFound are IOExceptions).
        }
    }

    /// <summary>Waits until none of <paramref name="pids"/> is alive; fails naming the survivors after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var watched = pids.ToArray();
        using var cts = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (watched.Where(IsAlive).ToArray() is { Length: > 0 } alive)
        {
            try
            {
                await tick.WaitForNextTickAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"still running after {timeout.TotalSeconds} s: pid {string.Join(", ", alive)}");
            }
        }
    }

    /// <summary>The whitespace-separated process ids in <paramref name="text"/>.</summary>
    public static int[] ParsePids(string text) =>
        text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
}
