using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Files;

/// <summary>
/// A transfer cut in the middle (the sender gone, the receiver killed) never leaves a file under its final name, and
/// <c>send --resume</c> finishes it from where it stopped once both sides agree on the hash of what is there.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class InterruptedTransferTests
{
    private const long Size = 6 << 20;
    private const long Half = 3 << 20;

    [Fact]
    public async Task ASenderThatDiesMidFileLeavesOnlyAPartialFileAndResumeFinishesItFromThere()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var big = scratch["big.bin"];
        FilesCli.WriteSeeded(big, Size);

        await using var receiver = await FilesCli.ReceiveAsync(inbox);
        await FilesCli.PythonPeerAsync(receiver.Port, $$"""
            data = open(sys.argv[2], 'rb').read({{Half}})
            s = greet()
            s.sendall(entry('big.bin', {{Size}}) + data)
            s.close()  # what the kernel does for a sender that is killed
            """.Replace("sys.argv[2]", $"'{big}'", StringComparison.Ordinal));
        await receiver.WaitForStderrLineAsync(l => l.Contains("stopped early", StringComparison.Ordinal));

        Assert.False(File.Exists(Path.Join(inbox, "big.bin")));
        Assert.Equal(Half, new FileInfo(Path.Join(inbox, ".big.bin.sockit-part")).Length);

        await FilesCli.AssertResumesAsync(receiver.Port, big, inbox, from: Half);
        receiver.Interrupt();
        await receiver.WaitForExitAsync();
    }

    [Fact]
    public async Task AKilledReceiverLeavesNoFinalFileAndResumeToANewReceiverFinishesIt()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var big = scratch["big.bin"];
        FilesCli.WriteSeeded(big, Size);
        var partial = Path.Join(inbox, ".big.bin.sockit-part");

        await using (var receiver = await FilesCli.ReceiveAsync(inbox))
        {
            // The sender stalls after half the file, so the receiver is killed at a known point.
            await using var sender = SockitProcess.StartProgram("python3", "-c", $$"""
                import socket
                s = socket.create_connection(('127.0.0.1', {{receiver.Port}}), timeout=20)
                s.sendall(b'SKSEND\x01\x00')
                size = {{Size}}
                name = b'big.bin'
                header = bytes([1, 0, 0])
                n = size
                while n >= 0x80:
                    header += bytes([(n & 0x7f) | 0x80]); n >>= 7
                header += bytes([n, 0xa4, 0x03]) + bytes(8) + name
                s.sendall(bytes([len(header)]) + header + open('{{big}}', 'rb').read({{Half}}))
                s.recv(100)
                """);
            await WaitUntilAsync(() => File.Exists(partial) && new FileInfo(partial).Length == Half);
            using (var process = System.Diagnostics.Process.GetProcessById(receiver.Id))
            {
                process.Kill(); // SIGKILL: no chance to clean up
            }

            await receiver.WaitForExitAsync();
        }

        Assert.False(File.Exists(Path.Join(inbox, "big.bin")));

        await using var second = await FilesCli.ReceiveAsync(inbox, "--once");
        await FilesCli.AssertResumesAsync(second.Port, big, inbox, from: Half);
        Assert.Equal(0, await second.WaitForExitAsync());
    }

    [Fact]
    public async Task APartialFileThatDoesNotMatchTheSendersPrefixIsSentAgainWhole()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var file = scratch["doc.bin"];
        FilesCli.WriteSeeded(file, 1 << 20, seed: 7);
        File.WriteAllBytes(Path.Join(inbox, ".doc.bin.sockit-part"), new byte[4096]); // not the sender's first 4 KiB

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, file, "--resume", "-v");

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Contains("doc.bin: verified (1.0 MiB)\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Equal(FilesCli.Sha256(file), FilesCli.Sha256(Path.Join(inbox, "doc.bin")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AStalePartialFileLongerThanTheFileIsReplacedWholeWithoutResume()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var file = scratch["doc.bin"];
        FilesCli.WriteSeeded(file, 10_000, seed: 3);
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4); // 0644
        var stale = Path.Join(inbox, ".doc.bin.sockit-part");
        File.WriteAllBytes(stale, new byte[50_000]); // an earlier transfer's leftover: the new file's name is taken
        File.SetUnixFileMode(stale, (UnixFileMode)0x180); // 0600

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var sent = await FilesCli.SendAsync(receiver.Port, file);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        var arrived = Path.Join(inbox, "doc.bin");
        Assert.Equal(FilesCli.Sha256(file), FilesCli.Sha256(arrived));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(arrived));
        Assert.False(File.Exists(stale));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(SockitProcess.DefaultTimeout);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token); // polling a file's size: bounded by the timeout
        }
    }
}
