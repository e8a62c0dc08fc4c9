using System.Text.Json;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Files;

/// <summary>
/// A send that ends before every file was verified (Ctrl-C, SIGTERM, a lost or refused connection) never exits 0 and still
/// ends with its summary line and, with <c>--json</c>, its document: <c>sockit send HOST:PORT file &amp;&amp; rm file</c>
/// must not delete a file that never arrived.
/// </summary>
[Collection(nameof(FileTransferTestsAlone))]
public sealed class InterruptedSendTests
{
    [Theory]
    [InlineData("sender", "INT")]
    [InlineData("sender", "TERM")]
    [InlineData("receiver", "KILL")] // the connection is lost: no chance for the receiver to say anything
    public async Task ATransferCutMidFileExits1WithTheSummaryLineAndTheJsonDocument(string signalled, string signal)
    {
        using var scratch = new ScratchDirectory();
        var inbox = scratch.Make("in");
        var big = SparseFile(scratch);
        var partial = Path.Join(inbox, ".big.bin.sockit-part");
        await using var receiver = await FilesCli.ReceiveAsync(inbox, "--once");
        await using var sender = SockitProcess.Start("send", $"127.0.0.1:{receiver.Port}", big, "--json");
        await WaitUntilAsync(() => File.Exists(partial) && new FileInfo(partial).Length > 0);

        (signalled == "sender" ? sender : receiver).Signal(signal);
        var code = await sender.WaitForExitAsync();

        Assert.True(code == 1, $"exit {code}; stderr:\n{sender.Stderr}");
        Assert.Matches(@"sockit: sent 0 of 1 entries verified, .* 1 failed; stopped early: .+\n", sender.Stderr);
        using var json = JsonDocument.Parse(sender.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("verified").GetInt64());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        if (signalled == "sender")
        {
            Assert.Equal("interrupted", json.RootElement.GetProperty("error").GetString());
            Assert.Equal("big.bin", json.RootElement.GetProperty("problems")[0].GetProperty("name").GetString());
            Assert.Equal("interrupted before the receiver verified it", json.RootElement.GetProperty("problems")[0].GetProperty("reason").GetString());
            Assert.Contains("sockit: big.bin: interrupted before the receiver verified it\n", sender.Stderr, StringComparison.Ordinal);
            Assert.Equal(1, await receiver.WaitForExitAsync());
            Assert.False(File.Exists(Path.Join(inbox, "big.bin")));
        }
    }

    [Fact]
    public async Task ARefusedConnectionWithJsonPrintsTheDocumentAndExits1()
    {
        using var scratch = new ScratchDirectory();
        var small = scratch["small.txt"];
        File.WriteAllText(small, "hello\n");

        var (code, stdout, stderr) = await SockitProcess.RunAsync(null, "send", "127.0.0.1:1", small, "--json");

        Assert.True(code == 1, $"exit {code}; stderr:\n{stderr}");
        Assert.Matches(@"^sockit: sent 0 of 0 entries verified, .*; stopped early: cannot connect to 127\.0\.0\.1:1: connection refused.*\n$", stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("connection refused", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>4 GiB that take no disk (sparse), far more than a second's transfer: the sender is mid-file when the test acts.</summary>
    private static string SparseFile(ScratchDirectory scratch)
    {
        var path = scratch["big.bin"];
        using var file = new FileStream(path, FileMode.CreateNew);
        file.SetLength(4L << 30);
        return path;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(SockitProcess.DefaultTimeout);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token); // polling the receiver's partial file: bounded by the timeout
        }
    }
}
