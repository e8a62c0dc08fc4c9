using System.Net;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class HostEndpointTests
{
    private static readonly ServiceTable _services = ServiceTable.BuiltIn;

    [Theory]
    [InlineData("example.com:80", "example.com", 80)]
    [InlineData("1.2.3.4:80", "1.2.3.4", 80)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("[2001:db8::1]:443", "2001:db8::1", 443)]
    [InlineData("[fe80::1%eth0]:22", "fe80::1%eth0", 22)]
    [InlineData("localhost:http", "localhost", 80)]
    [InlineData("db:mysql", "db", 3306)]
    [InlineData("8080", "", 8080)]
    [InlineData(":8080", "", 8080)]
    [InlineData("0", "", 0)]
    [InlineData("host:65535", "host", 65535)]
    [InlineData("my_host.local:0", "my_host.local", 0)]
    public void ParseAcceptsWhatPeopleType(string text, string host, int port)
    {
        var endpoint = HostEndpoint.Parse(text, _services);

        Assert.Equal(new HostEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("host:65536", "'65536' is not a port")]
    [InlineData("host:99999999999", "is not a port")]
    [InlineData("host:-1", "'-1' is not a port")]
    [InlineData("70000", "'70000' is not a port")]
    [InlineData("host:nosuchservice", "'nosuchservice' is not a port or a known tcp service name")]
    [InlineData("localhost:HTTP", "'HTTP' is not a port or a known tcp service name")]
    [InlineData("::1:80", "in brackets")]
    [InlineData("2001:db8::1", "in brackets")]
    [InlineData("[::1]", "expected ':PORT'")]
    [InlineData("[::1:80", "without a closing")]
    [InlineData("[1.2.3.4]:80", "only for IPv6")]
    [InlineData("[::g]:80", "not an IPv6 address")]
    [InlineData("localhost", "no port")]
    [InlineData("bad host:80", "is not a host name")]
    [InlineData("host:", "empty")]
    public void ParseRejectsWithOneLineNamingTheValue(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => HostEndpoint.Parse(text, _services));

        Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void TryParseReturnsFalseInsteadOfThrowing()
    {
        Assert.False(HostEndpoint.TryParse("host:http2000", _services, out var endpoint, out var error));
        Assert.Null(endpoint);
        Assert.Contains("http2000", error, StringComparison.Ordinal);
        Assert.True(HostEndpoint.TryParse("127.0.0.1:22", out endpoint));
        Assert.Equal(22, endpoint.Port);
    }

    [Theory]
    [InlineData("example.com:80", "example.com:80")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("8080", ":8080")]
    [InlineData("localhost:https", "localhost:443")]
    public void ToStringRoundTrips(string text, string expected)
    {
        var endpoint = HostEndpoint.Parse(text, _services);

        Assert.Equal(expected, endpoint.ToString());
        Assert.Equal(endpoint, HostEndpoint.Parse(endpoint.ToString(), _services));
    }

    [Theory]
    [InlineData("::1", "[::1]:7")]
    [InlineData("example.com", "example.com:7")]
    [InlineData("10.0.0.1", "10.0.0.1:7")]
    public void FromHostTakesABareHostIncludingUnbracketedIpv6(string host, string expected) =>
        Assert.Equal(expected, HostEndpoint.FromHost(host, 7).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("bad host")]
    [InlineData("1.2.3.4:80")]
    [InlineData("[::1]")]
    public void FromHostRejectsWhatCannotBeAHost(string host)
    {
        var ex = Assert.Throws<FormatException>(() => HostEndpoint.FromHost(host, 7));
        Assert.Equal($"'{host}' is not a host name or address", ex.Message);
    }

    [Fact]
    public async Task ResolveReturnsALiteralItself()
    {
        Assert.Equal([IPAddress.Parse("127.0.0.1")], await HostEndpoint.Parse("127.0.0.1:1", _services).ResolveAsync());
        Assert.Equal([IPAddress.IPv6Loopback], await HostEndpoint.Parse("[::1]:1", _services).ResolveAsync());
        Assert.Equal([IPAddress.Any], await HostEndpoint.Parse(":1", _services).ResolveAsync());
    }

    [Fact]
    public async Task ResolveFindsLocalhost()
    {
        var addresses = await HostEndpoint.Parse("localhost:1", _services).ResolveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(addresses, IPAddress.IsLoopback);
    }

    [Fact]
    public void AResolutionFailureNamesTheHostAndTheResolversReason()
    {
        // Built directly: the tests talk to loopback only and never ask a DNS server about unknown names.
        var ex = new AddressResolutionException("no-such-host.invalid", "Name or service not known");

        Assert.Equal("no-such-host.invalid", ex.Host);
        Assert.Equal("cannot resolve 'no-such-host.invalid': Name or service not known", ex.Message);
        Assert.Equal(System.Net.Sockets.SocketError.HostNotFound, ex.Error);
    }
}
