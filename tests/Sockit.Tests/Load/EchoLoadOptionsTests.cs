using Sockit.Connections;
using Sockit.Framing;
using Sockit.Load;

namespace Sockit.Tests.Load;

public sealed class EchoLoadOptionsTests
{
    private static readonly EchoLoadOptions Valid = new() { Endpoint = ConnectionEndpoint.Parse("127.0.0.1:7") };

    [Fact]
    public void DefaultsAreOneLengthFramedPingPongOf32Bytes()
    {
        Valid.Validate();
        Assert.Equal(1, Valid.Connections);
        Assert.Equal(1, Valid.Depth);
        Assert.Equal(32, Valid.MessageSize);
        Assert.Equal(FrameSpec.Length, Valid.Framing);
    }

    public static TheoryData<EchoLoadOptions, string> Invalid => new()
    {
        { Valid with { Endpoint = ConnectionEndpoint.Parse("127.0.0.1:0") }, "port 0" },
        { Valid with { Endpoint = ConnectionEndpoint.Parse("tls://127.0.0.1:7"), Tls = new TlsClientOptions { HandshakeTimeout = TimeSpan.Zero } }, "handshake timeout" },
        { Valid with { Connections = 0 }, "0 connections" },
        { Valid with { MessageSize = 23 }, "23 bytes" },
        { Valid with { Depth = 0 }, "depth of 0" },
        { Valid with { Duration = TimeSpan.Zero }, "duration" },
        { Valid with { Framing = FrameSpec.Fixed(16) }, "16-byte" },
        { Valid with { Framing = FrameSpec.Parse("delim:a") }, "delimiter" },
        { Valid with { Framing = FrameSpec.Parse("length:u8"), MessageSize = 300 }, "300-byte" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ABadValueIsNamed(EchoLoadOptions options, string named)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delim:\\0")]
    [InlineData("delim:\\r\\n")]
    [InlineData("delim:ab\\n")]
    [InlineData("fixed:32")]
    public void FramingsThatCanCarryTheMessageAreAccepted(string framing) =>
        (Valid with { Framing = FrameSpec.Parse(framing) }).Validate();
}
