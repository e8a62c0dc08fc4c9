using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Forward;

/// <summary>Bad <c>sockit forward</c> arguments: one line naming the bad value, exit 2.</summary>
public sealed class ForwardUsageTests
{
    [Theory]
    [InlineData("TARGET '0.0.0.0:0'", "forward", "127.0.0.1:0", "0.0.0.0:0")]
    [InlineData("--pin is for the target's TLS", "forward", "127.0.0.1:0", "127.0.0.1:9", "--pin", "sha256:00")]
    [InlineData("--insecure is for the target's TLS", "forward", "127.0.0.1:0", "unix:/tmp/x.sock", "--insecure")]
    [InlineData("--cert is for the listening side's TLS", "forward", "127.0.0.1:0", "tls://127.0.0.1:9", "--cert", "c.pem")]
    [InlineData("--target-cert is for the target's TLS", "forward", "127.0.0.1:0", "127.0.0.1:9", "--target-cert", "c.pem")]
    [InlineData("--target-key is the key of --target-cert", "forward", "127.0.0.1:0", "tls://127.0.0.1:9", "--target-key", "k.pem")]
    [InlineData("--max-conns: '0'", "forward", "127.0.0.1:0", "127.0.0.1:9", "--max-conns", "0")]
    [InlineData("--allow judges IP addresses", "forward", "unix:@sockit-forward-usage", "127.0.0.1:9", "--allow", "10.0.0.0/8")]
    [InlineData("'nonsense'", "forward", "127.0.0.1:0", "nonsense")]
    [InlineData("missing TARGET (usage: sockit forward LISTEN TARGET [options]", "forward", "127.0.0.1:0")]
    [InlineData("--timeout", "forward", "127.0.0.1:0", "127.0.0.1:9", "--timeout", "0")]
    public async Task BadArgumentsAreOneLineAndExit2(string mention, params string[] args)
    {
        TcpCli.AssertOneLineFailure(await SockitProcess.RunAsync(null, args), 2, mention);
    }
}
