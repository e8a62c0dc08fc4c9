using System.Buffers;
using System.Net.Sockets;
using Sockit.Cluster;

namespace Sockit.Tests.Cluster;

/// <summary>The pure parts of the Redis backplane: the message header, the per-node sequences, presence, the address forms.</summary>
public sealed class BackplanePartsTests
{
    [Fact]
    public void AnEnvelopeCarriesNodeSenderSequenceAndCountBigEndianBeforeThePayloadUntouched()
    {
        var payload = new byte[] { 0, (byte)'\n', 0xFF, 7 };
        var message = new BackplaneEnvelope(0x0102030405060708, 42, 1000, 3).Encode(new ReadOnlySequence<byte>(payload));

        Assert.Equal(BackplaneEnvelope.HeaderSize + payload.Length, message.Length);
        Assert.Equal([1, 0, 1, 2, 3, 4, 5, 6, 7, 8], message[..10]);
        Assert.True(BackplaneEnvelope.TryDecode(message, out var envelope, out var offset));
        Assert.Equal(new BackplaneEnvelope(0x0102030405060708, 42, 1000, 3), envelope);
        Assert.Equal(payload, message[offset..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(35)]
    public void AMessageTooShortOrOfAnotherVersionIsNotAnEnvelope(int length)
    {
        Assert.False(BackplaneEnvelope.TryDecode(new byte[length], out _, out _));
        var other = new BackplaneEnvelope(1, 1, 1, 1).Encode(ReadOnlySequence<byte>.Empty);
        other[0] = 2;
        Assert.False(BackplaneEnvelope.TryDecode(other, out _, out _));
    }

    [Fact]
    public void SequencesDeliverEachMessageOnceInItsNodesOrderAndCountGaps()
    {
        var sequences = new NodeSequences();
        Assert.True(sequences.TryAccept(node: 1, 5));  // joined late: the first one seen starts the count
        Assert.True(sequences.TryAccept(node: 2, 1));  // nodes are independent
        Assert.False(sequences.TryAccept(node: 1, 5)); // twice
        Assert.False(sequences.TryAccept(node: 1, 4)); // older
        Assert.True(sequences.TryAccept(node: 1, 9));  // 6, 7, 8 missed
        Assert.Equal(3, sequences.Missed);
        sequences.Forget(1);
        Assert.True(sequences.TryAccept(node: 1, 2));
    }

    [Fact]
    public void PresenceCountsLiveNodesOnlyAndANewerStampWins()
    {
        var presence = new NodePresence(TimeSpan.FromSeconds(10));
        presence.Seen(node: 1, count: 3, stamp: 7, now: 1000);
        presence.Seen(node: 2, count: 2, stamp: 1, now: 5000);
        Assert.Equal(5, presence.Count(now: 10_999));
        Assert.Equal(2, presence.Count(now: 11_000)); // node 1 expired

        presence.Seen(node: 1, count: 1, stamp: 6, now: 12_000); // an older stamp (a key read late) renews, keeps the count
        Assert.Equal(5, presence.Count(now: 12_001));
        presence.Seen(node: 1, count: 1, stamp: 8, now: 12_000);
        Assert.Equal(3, presence.Count(now: 12_001));
        presence.Remove(2);
        Assert.Equal(1, presence.Count(now: 12_001));
    }

    [Fact]
    public void RedisAddressesTakeTcpWithOptionsAndUnixSockets()
    {
        var tcp = RedisAddress.Parse("redis://127.0.0.1:6380,password=secret,connectTimeout=2000");
        Assert.Equal("127.0.0.1:6380", Assert.Single(tcp.EndPoints).ToString());
        Assert.Equal("secret", tcp.Password);
        Assert.Equal(2000, tcp.ConnectTimeout);

        var unix = RedisAddress.Parse("redis+unix:///run/redis/redis.sock,password=x");
        Assert.Equal("/run/redis/redis.sock", Assert.IsType<UnixDomainSocketEndPoint>(Assert.Single(unix.EndPoints)).ToString());
        Assert.Equal("x", unix.Password);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("redis://")]
    [InlineData("redis://host:6379/0")]
    [InlineData("redis+unix://relative.sock")]
    [InlineData("redis://127.0.0.1:6379,nosuchoption=1")]
    [InlineData("redis://a:1,b:2")]
    public void ABadRedisAddressIsAFormatExceptionNamingIt(string address)
    {
        var ex = Assert.Throws<FormatException>(() => RedisAddress.Parse(address));
        Assert.Contains($"'{address}'", ex.Message, StringComparison.Ordinal);
    }
}
