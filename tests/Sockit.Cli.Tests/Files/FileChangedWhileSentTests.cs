using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Files;

/// <summary>
/// A file that grows, shrinks or is written to while <c>sockit send</c> reads it is a failure of that file, said in one
/// line (<c>tar</c>: "file changed as we read it"), never a "verified" copy of its first N bytes.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileChangedWhileSentTests
{
    /// <summary>
    /// The receiver is python3, speaking docs/protocol.md by hand, so the change happens at a known point: after the
    /// entry's header arrived and before its content is read. Its socket's receive buffer is fixed small, so the sender
    /// cannot have read more than its send buffer and pipe hold (a few MiB) of the 64 MiB file by then: no timing.
    /// It prints whether the trailer matched what arrived, answers as a sockit receiver would, and reads END.
    /// </summary>
    private const string Receiver = """
        import hashlib, os

        """ + FilesCli.PythonProtocol + """
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)  # no autotuning: bounded bytes in flight
        announce()
        c, _ = listener.accept()
        c.settimeout(20)
        assert recv_exactly(c, 8) == b'SKSEND\x01\x00'
        c.sendall(b'SKRECV\x01\x00')
        entry = read_msg(c)
        assert entry[0] == 1, entry
        size, i, shift = 0, 3, 0
        while True:
            size |= (entry[i] & 0x7f) << shift
            shift += 7
            i += 1
            if entry[i - 1] < 0x80:
                break
        change()
        digest, left = hashlib.sha256(), size
        while left:
            chunk = c.recv(min(left, 1 << 20))
            assert chunk, 'sender closed mid-content'
            digest.update(chunk)
            left -= len(chunk)
        trailer = read_msg(c)
        assert trailer[0] == 3, trailer
        matched = trailer[1:] == digest.digest()
        print('trailer matched' if matched else 'trailer differs', flush=True)
        c.sendall(msg(b'\x11') if matched else msg(b'\x12\x04SHA-256 mismatch: what arrived is not what was sent (nothing stored)'))
        assert read_msg(c) == b'\x04'
        c.close()
        """;

    [Theory]
    [InlineData("open(PATH, 'ab').write(b'!')", "(it grew from 67108864 to 67108865 bytes)")]
    [InlineData("fd = os.open(PATH, os.O_WRONLY); os.pwrite(fd, b'!', 0); os.close(fd)", "(it was written to: its mtime moved)")]
    [InlineData("os.truncate(PATH, 1 << 20)", "(it shrank below the 67108864 bytes announced)")]
    public async Task AFileChangedWhileBeingSentIsAFailedFileNamedInOneLineAndTheExitIs1(string change, string how)
    {
        using var scratch = new ScratchDirectory();
        var path = scratch["moving.bin"];
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(64 << 20); // sparse: no disk, and far more than the bytes that can be in flight
        }

        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc)); // any write moves it, whatever the clock's grain

        await using var receiver = await TcpCli.PythonServerAsync($"PATH = '{path}'\ndef change():\n    {change}\n" + Receiver, announceFirst: false);
        var sent = await FilesCli.SendAsync(receiver.Port, path, "--json");

        Assert.True(sent.ExitCode == 1, $"exit {sent.ExitCode}; stderr:\n{sent.Stderr}");
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Equal("trailer differs\n", receiver.Stdout); // so a sockit receiver stores nothing under its name
        Assert.Contains($"sockit: moving.bin: changed while being sent {how}: not stored\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("sent 0 of 1 entries verified", sent.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(sent.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("failed").GetInt64());
        var problem = json.RootElement.GetProperty("problems")[0];
        Assert.Equal("moving.bin", problem.GetProperty("name").GetString());
        Assert.Equal("failed", problem.GetProperty("status").GetString());
        Assert.StartsWith("changed while being sent (", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileNamedOnTheCommandLineThatIsGoneByItsTurnIsAFailedFileAndTheTransferGoesOn()
    {
        using var scratch = new ScratchDirectory();
        var first = scratch["first.bin"];
        using (var file = new FileStream(first, FileMode.CreateNew))
        {
            file.SetLength(64 << 20); // sparse: the sender is still in it when the receiver removes the second
        }

        var second = scratch["second.txt"];
        File.WriteAllText(second, "gone by its turn\n");

        // The receiver removes the second file when the first one's header arrives: named and checked, then gone.
        await using var receiver = await TcpCli.PythonServerAsync($"PATH = '{second}'\ndef change():\n    os.remove(PATH)\n" + Receiver, announceFirst: false);
        var sent = await FilesCli.SendAsync(receiver.Port, first, second);

        Assert.True(sent.ExitCode == 1, $"exit {sent.ExitCode}; stderr:\n{sent.Stderr}");
        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Equal("trailer matched\n", receiver.Stdout); // the first file went on, then END
        Assert.Contains("sockit: second.txt: cannot read it here: No such file or directory\n", sent.Stderr, StringComparison.Ordinal);
        Assert.Contains("sent 1 of 2 entries verified", sent.Stderr, StringComparison.Ordinal);
    }
}
