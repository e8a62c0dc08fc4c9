using System.Net;
using System.Net.Sockets;
using Sockit.Udp;

namespace Sockit.Tests.Udp;

public sealed class UdpPeerTableTests
{
    private readonly ManualTimeProvider _clock = new();

    private static SocketAddress Address(int port, string ip = "127.0.0.1") =>
        new IPEndPoint(IPAddress.Parse(ip), port).Serialize();

    [Fact]
    public void TheSameAddressInAnotherInstanceFindsTheSamePeer()
    {
        var table = new UdpPeerTable(timeProvider: _clock);

        var first = table.Observe(Address(40001), 5, out var addedFirst);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = table.Observe(Address(40001), 7, out var addedSecond);

        Assert.Same(first, second);
        Assert.True(addedFirst);
        Assert.False(addedSecond);
        Assert.Equal(2, second.Datagrams);
        Assert.Equal(12, second.Bytes);
        Assert.Equal(TimeSpan.FromSeconds(1), second.LastSeen - second.FirstSeen);
        Assert.Equal("127.0.0.1:40001", second.Name);
    }

    [Fact]
    public void ThePeerKeepsItsOwnCopyOfTheReusedReceiveAddress()
    {
        var table = new UdpPeerTable(timeProvider: _clock);
        var receiveAddress = Address(40001);

        var peer = table.Observe(receiveAddress, 1, out _);
        Address(40002).Buffer.CopyTo(receiveAddress.Buffer); // the next receive overwrites it in place

        Assert.Equal(40001, peer.EndPoint.Port);
        Assert.True(table.TryGet(Address(40001), out _));
        Assert.False(table.TryGet(receiveAddress, out _));
    }

    [Fact]
    public void IPv4MappedSendersAreNamedAsIPv4()
    {
        var table = new UdpPeerTable(timeProvider: _clock);
        var mapped = new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 40001).Serialize();

        var peer = table.Observe(mapped, 1, out _);

        Assert.Equal("127.0.0.1:40001", peer.Name);
        Assert.Equal(AddressFamily.InterNetworkV6, peer.Address.Family);
    }

    [Fact]
    public void QuietPeersExpireAfterTheIdleTimeoutAndActiveOnesStay()
    {
        var table = new UdpPeerTable(idleTimeout: TimeSpan.FromSeconds(10), timeProvider: _clock);
        table.Observe(Address(1), 1, out _);
        table.Observe(Address(2), 1, out _);

        _clock.Advance(TimeSpan.FromSeconds(6));
        table.Observe(Address(2), 1, out _);
        _clock.Advance(TimeSpan.FromSeconds(4));
        var expired = table.ExpireIdle();

        Assert.Equal(1, expired);
        Assert.Equal(1, table.Expired);
        Assert.False(table.TryGet(Address(1), out _));
        Assert.True(table.TryGet(Address(2), out _));
    }

    [Fact]
    public void WithoutAnIdleTimeoutNothingExpires()
    {
        var table = new UdpPeerTable(timeProvider: _clock);
        table.Observe(Address(1), 1, out _);

        _clock.Advance(TimeSpan.FromDays(365));

        Assert.Equal(0, table.ExpireIdle());
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void AFullTableForgetsTheIdleFirstThenThePeerQuietLongest()
    {
        var table = new UdpPeerTable(capacity: 2, idleTimeout: TimeSpan.FromMinutes(1), timeProvider: _clock);
        table.Observe(Address(1), 1, out _);
        _clock.Advance(TimeSpan.FromSeconds(1));
        table.Observe(Address(2), 1, out _);
        _clock.Advance(TimeSpan.FromSeconds(1));
        table.Observe(Address(1), 1, out _); // 2 is now the quietest

        table.Observe(Address(3), 1, out _);

        Assert.Equal(2, table.Count);
        Assert.Equal(1, table.Evicted);
        Assert.False(table.TryGet(Address(2), out _));
        Assert.True(table.TryGet(Address(1), out _));
        Assert.True(table.TryGet(Address(3), out _));
    }

    [Fact]
    public void WhatForgottenPeersSentStillCountsInTheTotals()
    {
        var table = new UdpPeerTable(capacity: 2, idleTimeout: TimeSpan.FromMinutes(1), timeProvider: _clock);
        table.Observe(Address(1), 10, out _);
        table.Observe(Address(1), 5, out _);
        _clock.Advance(TimeSpan.FromSeconds(1));
        table.Observe(Address(2), 7, out _);
        _clock.Advance(TimeSpan.FromSeconds(1));

        table.Observe(Address(3), 1, out _); // the table is full: 1, quiet longest, is evicted
        _clock.Advance(TimeSpan.FromMinutes(2));
        table.ExpireIdle(); // 2 and 3 expire

        Assert.Equal(0, table.Count);
        Assert.Equal(new UdpPeerTotals(Peers: 3, Datagrams: 4, Bytes: 23, Gaps: 0), table.Forgotten);
    }

    [Fact]
    public void TheTableNeverHoldsMoreThanItsCapacity()
    {
        var table = new UdpPeerTable(capacity: 10, timeProvider: _clock);

        for (var port = 1; port <= 1000; port++)
        {
            table.Observe(Address(port), 1, out _);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(10, table.Count);
        Assert.Equal(990, table.Evicted);
        Assert.All(table.Peers, p => Assert.True(p.EndPoint.Port > 990));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpPeerTable(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpPeerTable(idleTimeout: TimeSpan.Zero));
    }

    [Fact]
    public void SequenceJumpsCountAsGapsAndStepsBackAsLate()
    {
        var peer = new UdpPeerTable(timeProvider: _clock).Observe(Address(1), 1, out _);
        Assert.False(peer.HasSequence);

        foreach (var n in new long[] { 1, 2, 5, 3, 6, 10 })
        {
            peer.ObserveSequence(n);
        }

        Assert.True(peer.HasSequence);
        Assert.Equal(2 + 3, peer.Gaps); // 3,4 then 7,8,9 skipped
        Assert.Equal(1, peer.Late);     // 3 arrived after 5
    }

    [Theory]
    [InlineData("17", true, 17)]
    [InlineData("17 hello", true, 17)]
    [InlineData("0\n", true, 0)]
    [InlineData("hello 17", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("1234567890123456789", false, 0)]
    public void ASequenceNumberIsLeadingAsciiDigits(string payload, bool found, long expected)
    {
        Assert.Equal(found, DatagramSequence.TryRead(System.Text.Encoding.ASCII.GetBytes(payload), out var sequence));
        Assert.Equal(expected, sequence);
    }
}
