using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;
using Sockit.Cli.Tests.Tls;

namespace Sockit.Cli.Tests.Files;

/// <summary><c>sockit send</c> to <c>sockit receive</c> over TLS (pinned, and refused when the pin is wrong) and over a Unix socket.</summary>
[Collection(nameof(FileTransferTestsAlone))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileTransportTests
{
    [Fact]
    public async Task ATreeCrossesTlsToAPinnedReceiverAndAWrongPinSendsNothing()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var tree = MakeTree(scratch);
        await using var receiver = await TcpCli.ListeningAsync(SockitProcess.Start(["receive", "tls://127.0.0.1:0", "--dir", inbox]));
        var pin = await TlsCli.FingerprintAsync(receiver);

        var wrong = await SockitProcess.RunAsync(null, ["send", $"tls://127.0.0.1:{TcpCli.Text(receiver.Port)}", tree, "--pin", "sha256:" + new string('0', 64)]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("pin", wrong.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(inbox));

        var sent = await SockitProcess.RunAsync(null, ["send", $"tls://127.0.0.1:{TcpCli.Text(receiver.Port)}", tree, "--pin", pin]);
        Assert.True(sent.ExitCode == 0, sent.Stderr);
        AssertSameTree(tree, Path.Join(inbox, "tree"));
        receiver.Interrupt();
        Assert.Equal(1, await receiver.WaitForExitAsync()); // the refused sender's connection ended without a transfer: not all went well
        Assert.Contains("received 5 of 5 entries verified", receiver.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATreeCrossesAUnixSocket()
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var tree = MakeTree(scratch);
        var socket = scratch["r.sock"];
        await using var receiver = SockitProcess.Start(["receive", "unix:" + socket, "--dir", inbox, "--once"]);
        await receiver.WaitForStderrLineAsync(l => l.Contains("listening on ", StringComparison.Ordinal));

        var sent = await SockitProcess.RunAsync(null, ["send", "unix:" + socket, tree]);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal(0, await receiver.WaitForExitAsync());
        AssertSameTree(tree, Path.Join(inbox, "tree"));
        Assert.False(File.Exists(socket)); // the listener removes its socket file when it stops
    }

    /// <summary>tree/a (300 KiB), tree/sub/b (0 bytes), tree/empty/ (an empty folder).</summary>
    private static string MakeTree(ScratchDirectory scratch)
    {
        var tree = scratch.Make("tree");
        FilesCli.WriteSeeded(Path.Join(tree, "a"), 300 << 10, seed: 7);
        Directory.CreateDirectory(Path.Join(tree, "sub"));
        File.WriteAllBytes(Path.Join(tree, "sub", "b"), []);
        Directory.CreateDirectory(Path.Join(tree, "empty"));
        return tree;
    }

    private static void AssertSameTree(string sent, string arrived)
    {
        Assert.Equal(FilesCli.Listing(sent), FilesCli.Listing(arrived));
        Assert.Equal(FilesCli.Sha256(Path.Join(sent, "a")), FilesCli.Sha256(Path.Join(arrived, "a")));
    }
}
