using System.Diagnostics;
using System.Runtime.Versioning;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Files;

/// <summary>
/// docs/protocol.md §5: what someone with write access to the receiving directory planted at a partial file's name is
/// never opened through, and a directory that was there before a transfer keeps its mode and mtime without
/// <c>--overwrite</c>.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
[UnsupportedOSPlatform("windows")]
public sealed class ReceiverSafetyTests
{
    [Theory]
    [InlineData("symlink", false)]
    [InlineData("symlink", true)]
    [InlineData("fifo", false)]
    [InlineData("fifo", true)]
    [InlineData("hardlink", false)]
    [InlineData("hardlink", true)]
    public async Task WhatIsPlantedAtThePartialNameIsReplacedNeverWrittenThrough(string planted, bool resume)
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var victim = Path.Join(scratch.Make("victim"), "keep.txt");
        File.WriteAllText(victim, "important\n");
        var partial = Path.Join(inbox, ".report.txt.sockit-part");
        switch (planted)
        {
            case "symlink":
                File.CreateSymbolicLink(partial, victim);
                break;
            case "hardlink":
                Assert.Equal(0, await RunAsync("ln", victim, partial));
                break;
            default:
                Assert.Equal(0, await RunAsync("mkfifo", partial));
                break;
        }

        var report = scratch["report.txt"];
        File.WriteAllText(report, "quarterly\n");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = resume ? await FilesCli.SendAsync(receiver.Port, report, "--resume") : await FilesCli.SendAsync(receiver.Port, report);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.DoesNotContain("seeking", receiver.Stderr + sent.Stderr, StringComparison.Ordinal);
        Assert.Equal("important\n", File.ReadAllText(victim));
        var arrived = new FileInfo(Path.Join(inbox, "report.txt"));
        Assert.Null(arrived.LinkTarget);
        Assert.Equal(UnixFileMode.None, arrived.UnixFileMode & ~(UnixFileMode)0x1FF); // not a link, FIFO or device
        Assert.Equal("quarterly\n", File.ReadAllText(arrived.FullName));
        Assert.False(Path.Exists(partial));
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(victim)!).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADirectoryThatWasThereKeepsItsModeAndMtimeWithoutOverwriteAndOnesTheTransferMadeTakeTheSenders(bool overwrite)
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var existing = Path.Join(inbox, "existing");
        Directory.CreateDirectory(existing);
        File.SetUnixFileMode(existing, (UnixFileMode)0x1C0); // 0700
        var before = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(existing, before);

        await using var receiver = await FilesCli.ReceiveAsync(inbox, overwrite ? ["--once", "--overwrite"] : ["--once"]);
        var answers = await FilesCli.PythonPeerAsync(receiver.Port, """
            s = greet()
            data = b'inner\n'
            # 'made' is first made as the parent of a file, then named by its own entry (a sender's order for mtimes).
            s.sendall(entry('existing', kind=1, mode=0o777, mtime_ns=0))
            s.sendall(entry('made/sub/f.txt', len(data)) + data + trailer(data))
            s.sendall(entry('made', kind=1, mode=0o750, mtime_ns=1_000_000_000 * 1_000_000_000))
            s.sendall(END)
            for _ in range(3):
                print(answer(read_msg(s)))
            """);

        Assert.Equal("verified\nverified\nverified\n", answers);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Equal(overwrite ? (UnixFileMode)0x1FF : (UnixFileMode)0x1C0, File.GetUnixFileMode(existing));
        Assert.Equal(overwrite ? DateTime.UnixEpoch : before, Directory.GetLastWriteTimeUtc(existing));
        var made = Path.Join(inbox, "made");
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(made)); // 0750
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_000_000_000), Directory.GetLastWriteTimeUtc(made));
    }

    private static async Task<int> RunAsync(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true })!;
        using var timeout = new CancellationTokenSource(SockitProcess.DefaultTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }
}
