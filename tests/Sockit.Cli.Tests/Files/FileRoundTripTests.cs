using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Files;

/// <summary><c>sockit send</c> to <c>sockit receive</c>: what arrives is what was sent, bytes, names, modes and mtimes.</summary>
[Collection(nameof(FileTransferTestsAlone))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileRoundTripTests
{
    [Fact]
    public async Task FilesOfEdgeSizesArriveByteExactWithModeAndMtimeAndTheSummaryLineCountsThem()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var sizes = new long[] { 0, 1, 4095, 4096, 65536, 256 << 10, (256 << 10) + 1, 1 << 20, (1 << 20) + 7 };
        var files = sizes.Select((size, i) =>
        {
            var path = scratch[$"f{i}-{size}.bin"];
            FilesCli.WriteSeeded(path, size, seed: i);
            // 0644 and 0600 are set when the partial file is created; 0444 (no owner write), 0777 and 0666 (bits the
            // umask takes away) are set again at the end; the mtimes have sub-second parts, one is before 1970.
            File.SetUnixFileMode(path, (UnixFileMode)new[] { 0x1A4, 0x180, 0x124, 0x1FF, 0x1B6 }[i % 5]);
            File.SetLastWriteTimeUtc(path, i == 3 ? new DateTime(1969, 12, 31, 23, 59, 58, 250, DateTimeKind.Utc)
                : new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddSeconds(i).AddTicks(1234567 * i));
            return path;
        }).ToArray();

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, files);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Contains($"sent {files.Length} of {files.Length} entries verified", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 failed", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains($"received {files.Length} of {files.Length} entries verified", receiver.Stderr, StringComparison.Ordinal);
        foreach (var file in files)
        {
            var arrived = Path.Join(inbox, Path.GetFileName(file));
            Assert.Equal(FilesCli.Sha256(file), FilesCli.Sha256(arrived));
            Assert.Equal(File.GetUnixFileMode(file), File.GetUnixFileMode(arrived));
            Assert.Equal(File.GetLastWriteTimeUtc(file), File.GetLastWriteTimeUtc(arrived));
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(inbox, "*", SearchOption.AllDirectories), p => p.EndsWith(".sockit-part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATreeOfThousandsOfSmallFilesWithNestedAndEmptyFoldersArrivesWholeAndSymlinksAreSkippedAndSaidSo()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var tree = scratch.Make("tree");
        for (var i = 0; i < 2000; i++)
        {
            var dir = Directory.CreateDirectory(Path.Join(tree, $"d{i % 10}", $"e{i % 7}")).FullName;
            File.WriteAllText(Path.Join(dir, $"file{i}.txt"), $"content {i}\n");
        }

        Directory.CreateDirectory(Path.Join(tree, "empty", "deeper-empty"));
        File.WriteAllBytes(Path.Join(tree, "zero"), []);
        var readOnly = Directory.CreateDirectory(Path.Join(tree, "locked")).FullName;
        File.WriteAllText(Path.Join(readOnly, "inside"), "x");
        File.SetUnixFileMode(readOnly, (UnixFileMode)0x16D); // 0555
        Directory.SetLastWriteTimeUtc(Path.Join(tree, "empty"), new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.CreateSymbolicLink(Path.Join(tree, "passwd-link"), "/etc/passwd");
        Assert.Equal(0, (await Sockit.Cli.Tests.Infrastructure.ExternalTool.RunAsync("mkfifo", [Path.Join(tree, "a-fifo")])).ExitCode); // opening it would block

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, tree, "--json");

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Contains("tree/passwd-link: skipped, a symbolic link (to '/etc/passwd'): not followed, not sent", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("tree/a-fifo: skipped, not a regular file (a FIFO, socket or device): not sent", sent.Stderr, StringComparison.Ordinal);
        var expected = FilesCli.Listing(scratch.Path).Where(p => p.StartsWith("tree/", StringComparison.Ordinal) && p is not "tree/passwd-link" and not "tree/a-fifo").ToArray();
        var arrived = FilesCli.Listing(inbox).Where(p => p.StartsWith("tree/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected, arrived);
        Assert.Equal("content 1234\n", File.ReadAllText(Path.Join(inbox, "tree", "d4", "e2", "file1234.txt")));
        Assert.Equal(new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(Path.Join(inbox, "tree", "empty")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Join(inbox, "tree", "locked"))); // 0555 + owner rwx: still writable by the next transfer

        using var json = JsonDocument.Parse(sent.Stdout);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(expected.Length, json.RootElement.GetProperty("verified").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("skipped").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task ASymbolicLinkNamedOnTheCommandLineIsFollowedAndItsTargetsContentModeAndMtimeArrive()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var target = scratch["target.bin"];
        FilesCli.WriteSeeded(target, 100_000);
        File.SetUnixFileMode(target, (UnixFileMode)0x1A0); // 0640
        var mtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(target, mtime);
        File.CreateSymbolicLink(scratch["absolute-link"], target);
        File.CreateSymbolicLink(scratch["relative-link"], "target.bin");
        var folder = scratch.Make("folder");
        File.WriteAllText(Path.Join(folder, "inside.txt"), "inside\n");
        File.SetUnixFileMode(folder, (UnixFileMode)0x1E8); // 0750
        Directory.CreateSymbolicLink(scratch["folder-link"], folder);

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, scratch["absolute-link"], scratch["relative-link"], scratch["folder-link"]);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        foreach (var name in new[] { "absolute-link", "relative-link" })
        {
            var arrived = Path.Join(inbox, name);
            Assert.Equal(FilesCli.Sha256(target), FilesCli.Sha256(arrived));
            Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(arrived));
            Assert.Equal(mtime, File.GetLastWriteTimeUtc(arrived));
        }

        Assert.Equal("inside\n", File.ReadAllText(Path.Join(inbox, "folder-link", "inside.txt")));
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(Path.Join(inbox, "folder-link"))); // not the link's 0777
    }

    [Fact]
    public async Task NamesOfUpTo255BytesArriveThoughTheirPartialFileNameWouldBeLonger()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var names = new[] { new string('a', 243), new string('b', 255), string.Concat(Enumerable.Repeat("é", 127)) };
        foreach (var name in names)
        {
            File.WriteAllText(scratch[name], name);
        }

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, [.. names.Select(name => scratch[name])]);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.All(names, name => Assert.Equal(name, File.ReadAllText(Path.Join(inbox, name))));
        Assert.Equal(names.Order(StringComparer.Ordinal), FilesCli.Listing(inbox)); // no partial file left
    }

    [Fact]
    public async Task A300MegabyteFileArrivesVerified()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var big = scratch["big.bin"];
        FilesCli.WriteSeeded(big, 300L << 20);

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, big);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Equal(FilesCli.Sha256(big), FilesCli.Sha256(Path.Join(inbox, "big.bin")));
    }

    [Fact]
    public async Task SeveralSendersAtOnceAreAllServedByOneReceiver()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var sources = Enumerable.Range(0, 4).Select(i =>
        {
            var path = scratch[$"s{i}.bin"];
            FilesCli.WriteSeeded(path, 3 << 20, seed: 100 + i);
            return path;
        }).ToArray();

        await using var receiver = await FilesCli.ReceiveAsync(inbox);
        var runs = await Task.WhenAll(sources.Select(s => FilesCli.SendAsync(receiver.Port, s)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Stderr));
        Assert.All(sources, s => Assert.Equal(FilesCli.Sha256(s), FilesCli.Sha256(Path.Join(inbox, Path.GetFileName(s)))));
        receiver.Interrupt();
        Assert.Equal(0, await receiver.WaitForExitAsync());
    }

    [Fact]
    public async Task AnExistingFileIsRefusedWithoutOverwriteAndReplacedWithIt()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        File.WriteAllText(Path.Join(inbox, "note.txt"), "old\n");
        File.WriteAllText(scratch["note.txt"], "new\n");
        File.WriteAllText(scratch["other.txt"], "other\n");

        await using (var receiver = await FilesCli.ReceiveAsync(inbox, "--once"))
        {
            var refused = await FilesCli.SendAsync(receiver.Port, scratch["note.txt"], scratch["other.txt"]);

            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("sockit: note.txt: refused: exists on the receiver (not overwritten without --overwrite)\n", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("sent 1 of 2 entries verified", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(1, await receiver.WaitForExitAsync());
            Assert.Equal("old\n", File.ReadAllText(Path.Join(inbox, "note.txt")));
            Assert.Equal("other\n", File.ReadAllText(Path.Join(inbox, "other.txt"))); // the other files go on
        }

        await using (var receiver = await FilesCli.ReceiveAsync(inbox, "--once", "--overwrite"))
        {
            var replaced = await FilesCli.SendAsync(receiver.Port, scratch["note.txt"]);

            Assert.True(replaced.ExitCode == 0, replaced.Stderr);
            Assert.Equal(0, await receiver.WaitForExitAsync());
            Assert.Equal("new\n", File.ReadAllText(Path.Join(inbox, "note.txt")));
        }
    }

    [Fact]
    public async Task JsonCarriesARefusedNameAsItIsWhileTheTerminalLinesEscapeIt()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        const string Name = "tab\there \"é\".txt"; // a tab (refused by the receiver), quotes and non-ASCII
        File.WriteAllText(scratch[Name], "x\n");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once", "--json");
        var sent = await FilesCli.SendAsync(receiver.Port, scratch[Name], "--json");

        Assert.True(sent.ExitCode == 1, sent.Stderr);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        using var sentJson = JsonDocument.Parse(sent.Stdout);
        Assert.Equal(Name, sentJson.RootElement.GetProperty("problems")[0].GetProperty("name").GetString());
        using var receivedJson = JsonDocument.Parse(receiver.Stdout);
        Assert.Equal(Name, receivedJson.RootElement.GetProperty("problems")[0].GetProperty("name").GetString());
        Assert.Contains("sockit: tab\\x09here \"é\".txt: refused, unsafe name: ", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains(": tab\\x09here \"é\".txt: a control character (U+0009)", receiver.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", sent.Stderr + receiver.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryWhoseNameIsTakenByAnotherKindOrALinkIsRefusedSayingWhatIsThereEvenWithOverwrite()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        Directory.CreateDirectory(Path.Join(inbox, "tree", "a"));                        // a directory where a file comes
        File.WriteAllText(Path.Join(inbox, "tree", "c"), "file\n");                      // a file where a directory comes
        File.CreateSymbolicLink(Path.Join(inbox, "tree", "b"), scratch.Make("elsewhere")); // a link where a directory comes
        var tree = scratch.Make("tree");
        File.WriteAllText(Path.Join(tree, "a"), "a\n");
        Directory.CreateDirectory(Path.Join(tree, "b"));
        Directory.CreateDirectory(Path.Join(tree, "c"));
        File.WriteAllText(Path.Join(tree, "d"), "d\n");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once", "--overwrite");
        var sent = await FilesCli.SendAsync(receiver.Port, tree);

        Assert.Equal(1, sent.ExitCode);
        Assert.Contains("sockit: tree/a: refused: a directory has this name on the receiver\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("sockit: tree/b/: refused: a symbolic link has this name on the receiver (not followed)\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("sockit: tree/c/: refused: a file has this name on the receiver\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Equal("d\n", File.ReadAllText(Path.Join(inbox, "tree", "d")));
        Assert.Empty(Directory.GetFileSystemEntries(scratch["elsewhere"])); // nothing went through the link
    }

    [Fact]
    public async Task OnATerminalTheProgressBarDrawsAndAFailureLinePrintsWholeAboveIt()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        File.WriteAllText(Path.Join(inbox, "small"), "old\n");
        File.WriteAllText(scratch["small"], "new\n");
        FilesCli.WriteSeeded(scratch["big"], 20 << 20);
        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");

        // stderr on a pseudo-terminal (python3's pty), 120 columns, as a user's shell would give it.
        var (code, terminal, stderr) = await ExternalTool.PythonAsync(OnTerminal,
            SockitProcess.ExecutablePath, "send", $"127.0.0.1:{receiver.Port}", scratch["small"], scratch["big"]);

        Assert.True(code == 1, $"exit {code}: {stderr}\n{terminal}");
        Assert.Contains("\u001b[", terminal, StringComparison.Ordinal);       // drawn with ANSI sequences
        Assert.Contains(" entries", terminal, StringComparison.Ordinal);      // the overall row
        Assert.Contains("sockit: small: refused: exists on the receiver (not overwritten without --overwrite)\r\n", terminal, StringComparison.Ordinal);
        Assert.Contains("sockit: sent 1 of 2 entries verified", terminal, StringComparison.Ordinal);
        Assert.Equal(1, await receiver.WaitForExitAsync());
    }

    /// <summary>Runs argv[1:] with stderr on a new pseudo-terminal; prints what the terminal received; exits with its status.</summary>
    private const string OnTerminal = """
        import fcntl, os, struct, subprocess, sys, termios
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
        p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                             env=dict(os.environ, TERM='xterm-256color'))
        os.close(slave)
        seen = b''
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break  # EIO: every writer of the terminal has gone
            if not chunk:
                break
            seen += chunk
        sys.stdout.write(seen.decode('utf-8', 'replace'))
        sys.exit(p.wait(timeout=60))
        """;
}
