using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class HostFactsTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GatherFindsTheHostNameAndTheLoopbackInterface()
    {
        var facts = await HostFacts.GatherAsync().AsTask().WaitAsync(_timeout);

        Assert.Equal(Dns.GetHostName(), facts.HostName);
        Assert.NotEmpty(facts.Fqdn);
        Assert.Contains(facts.Interfaces, nic => nic.Addresses.Any(a => IPAddress.IsLoopback(a.Address)));
    }

    [Fact]
    public async Task ResolveOfLocalhostGivesLoopbackAddresses()
    {
        var resolution = await NameResolver.ResolveAsync("localhost", AddressFamily.InterNetwork).AsTask().WaitAsync(_timeout);

        Assert.False(resolution.IsReverse);
        Assert.Contains(IPAddress.Loopback, resolution.Addresses);
        Assert.All(resolution.Addresses, a => Assert.Equal(AddressFamily.InterNetwork, a.AddressFamily));
    }

    [Fact]
    public async Task ResolveOfAnAddressIsAReverseLookup()
    {
        var resolution = await NameResolver.ResolveAsync("127.0.0.1").AsTask().WaitAsync(_timeout);

        Assert.True(resolution.IsReverse);
        Assert.Equal([IPAddress.Loopback], resolution.Addresses);
        Assert.NotEmpty(resolution.CanonicalName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad host")]
    [InlineData("a/b")]
    public async Task ResolveOfTextThatCannotBeAHostNameIsBadInput(string query) =>
        await Assert.ThrowsAsync<FormatException>(() => NameResolver.ResolveAsync(query).AsTask());
}
