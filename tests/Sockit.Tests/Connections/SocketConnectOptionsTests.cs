using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Services;

namespace Sockit.Tests.Connections;

/// <summary><see cref="SocketConnector"/> with an address family and a source address (nc's -4, -6 and -s).</summary>
public sealed class SocketConnectOptionsTests
{
    [Fact]
    public async Task TheSourceAddressIsWhatTheServerSeesAsThePeer()
    {
        await using var server = Loopback.StartServer(new EchoService(Sockit.Framing.FrameSpec.Raw));

        await using var connection = await SocketConnector.ConnectAsync("127.0.0.1", server.Port(),
            connect: new SocketConnectOptions { LocalEndPoint = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0) }).WithTimeout();

        Assert.Equal(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)connection.LocalEndPoint).Address);
    }

    [Fact]
    public async Task AnAddressLiteralOfTheOtherFamilyIsBadInput()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            SocketConnector.ConnectAsync("::1", 9, connect: new SocketConnectOptions { AddressFamily = AddressFamily.InterNetwork }));

        Assert.Contains("'::1' is an IPv6 address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFamilyAndASourceOfTheOtherFamilyDisagree()
    {
        var options = new SocketConnectOptions { AddressFamily = AddressFamily.InterNetworkV6, LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };

        Assert.Throws<ArgumentException>(() => options.RequiredFamily());
        Assert.Equal(AddressFamily.InterNetwork, new SocketConnectOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }.RequiredFamily());
    }

    [Fact]
    public async Task ASourceAddressThatIsNotLocalFailsToBindWithAClearMessage()
    {
        await using var server = Loopback.StartServer(new EchoService(Sockit.Framing.FrameSpec.Raw));

        // 192.0.2.1 is TEST-NET-1 (RFC 5737): on no interface of this machine.
        var error = await Assert.ThrowsAsync<ConnectionException>(() => SocketConnector.ConnectAsync("127.0.0.1", server.Port(),
            connect: new SocketConnectOptions { LocalEndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0) })).WithTimeout();

        Assert.Equal(ConnectionErrorKind.AddressNotAvailable, error.Kind);
        Assert.Contains("cannot bind the source address 192.0.2.1:0", error.Message, StringComparison.Ordinal);
    }
}
