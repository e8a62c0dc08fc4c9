namespace Sockit.Cli.Tests.Files;

/// <summary>
/// The receiver against a sender that speaks the protocol by hand and lies: every unsafe name is refused with a
/// reason, nothing is created outside the directory, the connection and the other files go on, and a sender that
/// breaks the protocol loses only its own connection.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class HostileSenderTests
{
    [Fact]
    public async Task EveryUnsafeNameIsRefusedPerFileWithAReasonAndTheSafeOnesAroundThemArrive()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var outside = scratch.Make("outside");
        Directory.CreateDirectory(Path.Join(inbox, "real"));
        Directory.CreateSymbolicLink(Path.Join(inbox, "escape"), outside);
        File.WriteAllText(Path.Join(inbox, "plainfile"), "x");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var answers = await FilesCli.PythonPeerAsync(receiver.Port, $$"""
            names = [
                b'/etc/evil', b'../evil', b'a/../../evil', b'./evil', b'a//b', b'trailing/', b'',
                b'nul\x00byte', b'bell\x07', b'esc\x1b[31mred', b'del\x7f', b'\xc2\x85c1', b'back\\slash', b'C:evil',
                b'\xff\xfe not utf8', b'CON', b'nul.txt', b'sub/LPT1.log', b'com9',
                b'escape/evil', b'plainfile/evil', b'.x.sockit-part', b'a' * 256, b'ok/' * 1400 + b'x',
            ]
            s = greet()
            data = b'payload\n'
            for name in names:
                s.sendall(entry(name, len(data)) + data + trailer(data))
                s.sendall(entry(b'safe-' + str(names.index(name)).encode(), len(data)) + data + trailer(data))
            s.sendall(END)
            for name in names:
                print(repr(name)[:30], answer(read_msg(s)))
                assert answer(read_msg(s)) == 'verified'
            """);

        Assert.Equal(1, await receiver.WaitForExitAsync()); // the refusals make the one transfer a failure
        var lines = answers.TrimEnd('\n').Split('\n');
        Assert.Equal(24, lines.Length);
        Assert.All(lines, line => Assert.Contains(" failed 1 ", line, StringComparison.Ordinal));
        Assert.Contains("an absolute name", lines[0], StringComparison.Ordinal);
        Assert.Contains("a '..' component", lines[1], StringComparison.Ordinal);
        Assert.Contains("a '..' component", lines[2], StringComparison.Ordinal);
        Assert.Contains("a '.' component", lines[3], StringComparison.Ordinal);
        Assert.Contains("an empty path component", lines[4], StringComparison.Ordinal);
        Assert.Contains("an empty name", lines[6], StringComparison.Ordinal);
        Assert.Contains("a NUL character", lines[7], StringComparison.Ordinal);
        Assert.Contains("a control character (U+0007)", lines[8], StringComparison.Ordinal);
        Assert.Contains("a control character (U+001B)", lines[9], StringComparison.Ordinal);
        Assert.Contains("a control character (U+0085)", lines[11], StringComparison.Ordinal);
        Assert.Contains("a backslash", lines[12], StringComparison.Ordinal);
        Assert.Contains("a drive letter", lines[13], StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", lines[14], StringComparison.Ordinal);
        Assert.All(lines[15..19], line => Assert.Contains("a device name", line, StringComparison.Ordinal));
        Assert.Contains("'escape' is a symbolic link on the receiver (not followed)", lines[19], StringComparison.Ordinal);
        Assert.Contains("'plainfile' is a file on the receiver", lines[20], StringComparison.Ordinal);
        Assert.Contains("reserved for partial files", lines[21], StringComparison.Ordinal);
        Assert.Contains("longer than 255 bytes", lines[22], StringComparison.Ordinal);
        Assert.Contains("longer than 4096 bytes", lines[23], StringComparison.Ordinal);

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Join(scratch.Path, "evil")));
        Assert.Equal(24, Directory.EnumerateFiles(inbox, "safe-*").Count());

        // The receiver's own lines show a hostile name escaped: no raw escape sequence reaches the terminal.
        Assert.Contains(@"esc\x1b[31mred: a control character (U+001B) in the name", receiver.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", receiver.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedFileIsNotStoredAndTheSenderIsToldItsHashDidNotMatch()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        var answers = await FilesCli.PythonPeerAsync(receiver.Port, """
            s = greet()
            s.sendall(entry('lied.txt', 5) + b'hello' + trailer(b'HELLO'))
            s.sendall(entry('dir', 0, kind=1, mode=0o700))
            s.sendall(END)
            print(answer(read_msg(s)))
            print(answer(read_msg(s)))
            """);

        Assert.Equal("failed 4 SHA-256 mismatch: what arrived is not what was sent (nothing stored)\nverified\n", answers);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Equal(["dir/"], FilesCli.Listing(inbox)); // neither the file nor its partial file
        Assert.Contains("lied.txt: SHA-256 mismatch", receiver.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASenderThatBreaksTheProtocolLosesOnlyItsOwnConnectionAndTheReceiverServesTheNext()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        File.WriteAllText(scratch["after.txt"], "still served\n");

        await using var receiver = await FilesCli.ReceiveAsync(inbox);
        var outcome = await FilesCli.PythonPeerAsync(receiver.Port, """
            results = []
            for garbage in [msg(b'\x7f'), b'\xff' * 11, varint(1 << 30), msg(bytes([1, 9, 0]) + varint(1) + varint(0) + bytes(8) + b'x'), entry('truncated', 100) + b'only-this']:
                s = greet()
                try:
                    s.sendall(garbage)
                    s.shutdown(socket.SHUT_WR)  # ENOTCONN when the receiver's reset came first
                    results.append(repr(recv_until_eof(s)))
                except OSError:  # reset, broken pipe or not connected: the receiver cut this sender
                    results.append('reset')
            print(' '.join(results))
            """);
        var sent = await FilesCli.SendAsync(receiver.Port, scratch["after.txt"]);

        Assert.DoesNotContain("b'", outcome, StringComparison.Ordinal); // each one reset, never answered as if fine
        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal("still served\n", File.ReadAllText(Path.Join(inbox, "after.txt")));
        Assert.Contains("message type 0x7f", receiver.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown kind 9", receiver.Stderr, StringComparison.Ordinal);
        Assert.Contains("closed the connection 91 byte(s) before the end of a file", receiver.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(inbox, "truncated")));
        receiver.Interrupt();
        Assert.Equal(1, await receiver.WaitForExitAsync()); // it served everyone, and says not every transfer succeeded
    }
}
