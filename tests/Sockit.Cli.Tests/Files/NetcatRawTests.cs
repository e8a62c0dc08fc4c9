using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Files;

/// <summary><c>--raw</c> against real netcat (OpenBSD nc), both ways.</summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class NetcatRawTests
{
    [Fact]
    public async Task ReceiveRawTakesWhatNcSendsAsOneFileRenamedAtItsFin()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var file = scratch["payload.bin"];
        FilesCli.WriteSeeded(file, (2 << 20) + 123);

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--raw", "got.bin", "--json");
        var (code, _, stderr) = await ExternalTool.RunAsync("sh", ["-c", $"nc -N 127.0.0.1 {receiver.Port} < '{file}'"]);

        Assert.True(code == 0, stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        var sha = FilesCli.Sha256(file);
        Assert.Equal(sha, FilesCli.Sha256(Path.Join(inbox, "got.bin")));
        // Raw verifies nothing end to end: the summary says what arrived and its SHA-256, never "entries verified".
        Assert.Matches($@"sockit: received 1 file raw, got\.bin: {(2 << 20) + 123} bytes in [\d.]+ s \([^)]+/s\), sha256 {sha} \(raw: nothing checked end to end\)\n", receiver.Stderr);
        Assert.DoesNotContain("verified", receiver.Stderr, StringComparison.Ordinal);
        Assert.Contains($"\"sha256\":\"{sha}\"", receiver.Stdout, StringComparison.Ordinal);
        Assert.Equal(["got.bin"], FilesCli.Listing(inbox));
    }

    [Fact]
    public async Task ReceiveRawDropsTheFileWhenTheSenderResets()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");

        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--raw", "got.bin");
        await TcpCli.PythonClientAsync(receiver.Port, """
            s = connect()
            s.sendall(b'x' * 100000)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            s.close()  # RST: the transfer did not end cleanly
            """);

        Assert.Equal(1, await receiver.WaitForExitAsync());
        Assert.Empty(FilesCli.Listing(inbox));
        Assert.Contains("got.bin: ", receiver.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing stored", receiver.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"sockit: received 0 of 1 file raw, got\.bin: \d+ bytes in [\d.]+ s, 1 failed\n", receiver.Stderr);
        Assert.DoesNotContain("reset by this server", receiver.Stderr, StringComparison.Ordinal); // the sender reset it
    }

    [Fact]
    public async Task SendRawWritesJustTheBytesToNcListenAndHalfCloses()
    {
        using var scratch = new ScratchDirectory();
        var file = scratch["payload.bin"];
        var output = scratch["out.bin"];
        FilesCli.WriteSeeded(file, (3 << 20) + 5);
        var port = FreePort(); // nc -l cannot report a port 0 picked for it

        await using var nc = SockitProcess.StartProgram("sh", "-c", $"exec nc -lv 127.0.0.1 {port} > '{output}'");
        nc.StandardInput.Close(); // nc keeps reading the network after its stdin ends, and exits at the sender's FIN
        await nc.WaitForStderrLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal));
        var sent = await FilesCli.SendAsync(port, file, "--raw");

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await nc.WaitForExitAsync());
        Assert.Equal(FilesCli.Sha256(file), FilesCli.Sha256(output));
        Assert.Matches($@"^sockit: sent 1 file raw, payload\.bin: {(3 << 20) + 5} bytes in [\d.]+ s \([^)]+/s\), sha256 {FilesCli.Sha256(file)} \(raw: nothing checked end to end\)\n$", sent.Stderr);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
