using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Files;

/// <summary>What goes wrong is one clear line and the right exit code: a wrong peer, bad arguments, a write error.</summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class TransferFailureTests
{
    [Fact]
    public async Task SendingToAnEchoServerIsOneClearErrorNotAHang()
    {
        await using var echo = await TcpCli.ListenAsync("--mode", "echo");

        await AssertOneFileFailsAsync(echo.Port, "the peer sent our own greeting back: an echo server");
    }

    [Fact]
    public async Task SendingToAnHttpServerIsOneClearError()
    {
        await using var http = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            c.recv(100)
            c.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
            c.close()
            """);

        await AssertOneFileFailsAsync(http.Port, "the peer is not a sockit receiver (an HTTP server): it began with \"HTTP/1.1\"");
    }

    [Fact]
    public async Task APeerThatSaysNothingIsGivenUpOnAfterTheGreetingTimeout()
    {
        await using var silent = await TcpCli.PythonServerAsync("""
            c, _ = listener.accept()
            time.sleep(30)
            """);

        await AssertOneFileFailsAsync(silent.Port, "the peer said nothing for 10 s after connecting: not a sockit receiver");
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AReceiversErrorTellsTheSenderNamesRelativeToTheDirectoryNeverTheReceiversOwnPaths()
    {
        // Root without CAP_DAC_OVERRIDE is held to a folder's mode bits like anyone: 'locked' (0555) cannot be written.
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs Linux, root and setpriv to drop CAP_DAC_OVERRIDE for a child");
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        File.SetUnixFileMode(Directory.CreateDirectory(Path.Join(inbox, "locked")).FullName, (UnixFileMode)0x16D); // 0555
        var sent = Directory.CreateDirectory(scratch["locked"]).FullName;
        Directory.CreateDirectory(Path.Join(sent, "sub"));
        File.WriteAllText(Path.Join(sent, "sub", "x"), "x");

        await using var receiver = await TcpCli.ListeningAsync(SockitProcess.StartProgram("/usr/bin/setpriv",
            "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--",
            SockitProcess.ExecutablePath, "receive", "127.0.0.1:0", "--dir", inbox, "--once"));
        var run = await FilesCli.SendAsync(receiver.Port, sent);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("sockit: locked/sub/x: failed on the receiver: Access to the path 'locked/sub' is denied.\n", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(inbox, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Contains($"locked/sub/x: Access to the path '{Path.Join(inbox, "locked", "sub")}' is denied.", receiver.Stderr, StringComparison.Ordinal); // its own user sees where
    }

    [Fact]
    public async Task AReceiverThatAnswersNonsenseWhileTheSenderIsBlockedIsNamedNotCalledACancellation()
    {
        using var scratch = new ScratchDirectory();
        var big = scratch["big.bin"];
        using (var file = new FileStream(big, FileMode.CreateNew))
        {
            file.SetLength(64 << 20); // sparse; far more than the socket buffers hold, so the sender's flush is waiting
        }

        // Greets, reads nothing more, answers with an unknown message type: the sender's reader of answers fails
        // while its writer is blocked on a full connection. Which of the two notices first is a race: several rounds.
        const int Rounds = 5;
        await using var receiver = await TcpCli.PythonServerAsync($$"""
            held = []
            for _ in range({{Rounds}}):
                c, _ = listener.accept()
                c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
                assert recv_exactly(c, 8) == b'SKSEND\x01\x00'
                c.sendall(b'SKRECV\x01\x00' + b'\x01\x7f')
                held.append(c)
            time.sleep(20)
            """);
        for (var round = 0; round < Rounds; round++)
        {
            var run = await FilesCli.SendAsync(receiver.Port, big);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("stopped early: the receiver sent", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("canceled", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("send|127.0.0.1:1|/no/such/file", "'/no/such/file': no such file or directory")]
    [InlineData("send|127.0.0.1:0|/etc/hostname", "is not a receiver address")]
    [InlineData("send|127.0.0.1:9|/etc|--raw", "--raw sends exactly one file")]
    [InlineData("send|127.0.0.1:9|/dev/null", "'/dev/null': not a regular file or a directory")]
    [InlineData("receive|127.0.0.1:0|--dir|/no/such/dir", "--dir: '/no/such/dir' is not a directory")]
    [InlineData("receive|127.0.0.1:0|--dir|/tmp|--raw|../escape", "--raw: '../escape' is refused: a '..' component")]
    public async Task BadArgumentsAreOneLineAndExitTwo(string args, string message)
    {
        var run = await SockitProcess.RunAsync(null, args.Split('|'));

        TcpCli.AssertOneLineFailure(run, 2, message);
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("loop")]
    public async Task ALinkArgumentThatLeadsNowhereIsOneLineSayingSoAndExitTwo(string kind)
    {
        using var scratch = new ScratchDirectory();
        var link = scratch["link"];
        File.CreateSymbolicLink(link, kind == "loop" ? link : scratch["missing"]);

        var run = await SockitProcess.RunAsync(null, ["send", "127.0.0.1:9", link]);

        TcpCli.AssertOneLineFailure(run, 2, $"'{link}': a symbolic link to '{(kind == "loop" ? link : scratch["missing"])}' that leads nowhere (dangling, or a loop)");
    }

    [Fact]
    public async Task AWriteErrorOnTheReceiverIsOneLineNamingTheFileAndTheOtherFilesGoOn()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        FilesCli.WriteSeeded(scratch["huge.bin"], 3 << 20);
        File.WriteAllText(scratch["small.txt"], "fits\n");

        // A file-size limit of 1 MiB on the receiver (SIGXFSZ ignored, so write(2) fails with EFBIG): a full disk's twin.
        await using var receiver = await TcpCli.ListeningAsync(SockitProcess.StartProgram("python3", "-c", """
            import os, resource, signal, sys
            os.environ['DOTNET_EnableWriteXorExecute'] = '0'  # W^X maps code through a memfd, which the file-size limit would stop
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
            os.execv(sys.argv[1], sys.argv[1:])
            """, SockitProcess.ExecutablePath, "receive", "127.0.0.1:0", "--dir", inbox, "--once"));
        var run = await FilesCli.SendAsync(receiver.Port, scratch["huge.bin"], scratch["small.txt"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("sockit: huge.bin: failed on the receiver: write error: the file is larger than the file system or the process's file-size limit allows\n", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("sent 1 of 2 entries verified", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Equal(["small.txt"], FilesCli.Listing(inbox)); // no final file, no partial file left for huge.bin
    }

    /// <summary>Sends one small file to <paramref name="port"/> and asserts exit 1 with <paramref name="message"/>.</summary>
    private static async Task AssertOneFileFailsAsync(int port, string message)
    {
        using var scratch = new ScratchDirectory();
        File.WriteAllText(scratch["a.txt"], "a");

        var run = await FilesCli.SendAsync(port, scratch["a.txt"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }
}
