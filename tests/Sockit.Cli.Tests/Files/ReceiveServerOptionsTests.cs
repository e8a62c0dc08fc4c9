using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Files;

/// <summary>
/// <c>sockit receive</c> takes the options every server takes (PRODUCT.md, "Operating a server"): a sender stalled
/// mid-file is cut by <c>--idle-timeout</c> and its file finished by <c>send --resume</c>; the address rules and the
/// connection limit work and are checked as for <c>listen</c>.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class ReceiveServerOptionsTests
{
    private const long Size = 256 << 10;
    private const long Part = 100_000;

    [Fact]
    public async Task ASenderStalledMidFileIsCutByTheIdleTimeoutSayingWhyAndResumeThenFinishesItsFile()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var file = scratch["stall.bin"];
        FilesCli.WriteSeeded(file, Size, seed: 9);

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--idle-timeout", "2s");

        // Connected, greeted, a header and part of the content, then silence without closing: a sender whose
        // machine hung or whose network went away. Only the receiver can end it; recv returns b'' when it does.
        var stalled = await FilesCli.PythonPeerAsync(receiver.Port, $$"""
            data = open('{{file}}', 'rb').read({{Part}})
            s = greet()
            s.sendall(entry('stall.bin', {{Size}}) + data)
            print('closed by the receiver' if s.recv(100) == b'' else 'answered')
            """);
        var line = await receiver.WaitForStderrLineAsync(l => l.Contains("stopped early", StringComparison.Ordinal));

        Assert.Equal("closed by the receiver\n", stalled);
        Assert.Matches(@"^sockit: 127\.0\.0\.1:\d+: received 0 of 1 entries verified, .*, 1 failed; stopped early: stall\.bin: idle for 2 s \(idle timeout\); partial file kept for --resume$", line);
        Assert.Matches(@"sockit: 127\.0\.0\.1:\d+: stall\.bin: idle for 2 s \(idle timeout\); partial file kept for --resume\n", receiver.Stderr);
        Assert.False(File.Exists(Path.Join(inbox, "stall.bin")));
        Assert.Equal(Part, new FileInfo(Path.Join(inbox, ".stall.bin.sockit-part")).Length);

        // The name is free again: the user's resume is offered what arrived, not refused as busy.
        await FilesCli.AssertResumesAsync(receiver.Port, file, inbox, from: Part);
        receiver.Interrupt();
        Assert.Equal(1, await receiver.WaitForExitAsync()); // one transfer stopped early
    }

    [Fact]
    public async Task ARawSenderCutByTheIdleTimeoutIsNotTakenForFinishedAndNothingIsStored()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--raw", "got.bin", "--idle-timeout", "1s");
        var client = await TcpCli.PythonClientAsync(receiver.Port, """
            s = connect()
            s.sendall(b'x' * 1000)
            print('closed by the receiver' if s.recv(10) == b'' else 'answered')  # no FIN from this side: nc still running
            """);

        Assert.Equal("closed by the receiver\n", client);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Contains("got.bin: idle for 1 s (idle timeout) (after 1000 byte(s); nothing stored)", receiver.Stderr, StringComparison.Ordinal);
        Assert.Empty(FilesCli.Listing(inbox));
    }

    [Fact]
    public async Task ASenderOutsideTheAllowedSubnetIsResetAndToldSo()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        File.WriteAllText(scratch["note.txt"], "not for you\n");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--allow", "10.0.0.0/8");
        var sent = await FilesCli.SendAsync(receiver.Port, scratch["note.txt"]);

        Assert.Equal(1, sent.ExitCode);
        Assert.Contains($"127.0.0.1:{receiver.Port}: connection reset by peer", sent.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));
        receiver.Interrupt();
        await receiver.WaitForExitAsync();
    }

    [Theory]
    [InlineData("127.0.0.1:0", "--max-conns", "0", "--max-conns: '0' must be at least 1")]
    [InlineData("127.0.0.1:0", "--idle-timeout", "soon", "--idle-timeout")]
    [InlineData("unix:SOCKET", "--allow", "127.0.0.0/8", "--allow judges IP addresses; a unix: listener's clients are limited by the socket file's permissions")]
    public async Task AServerOptionOutOfPlaceIsAUsageErrorSayingWhich(string endpoint, string option, string value, string error)
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");

        var (code, _, stderr) = await SockitProcess.RunAsync(null, "receive", endpoint.Replace("SOCKET", scratch["r.sock"], StringComparison.Ordinal), "--dir", inbox, option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("sockit: ", stderr, StringComparison.Ordinal);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", stderr, StringComparison.Ordinal);
    }
}
