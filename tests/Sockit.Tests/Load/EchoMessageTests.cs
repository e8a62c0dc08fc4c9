using Sockit.Load;

namespace Sockit.Tests.Load;

public sealed class EchoMessageTests
{
    [Theory]
    [InlineData(0, 0L)]
    [InlineData(7, 1L)]
    [InlineData(int.MaxValue, long.MaxValue)]
    [InlineData(65535, 0x0123456789abcdefL)]
    public void AHeaderReadsBackAsWritten(int id, long sequence)
    {
        var message = EchoMessage.CreateTemplate(40);
        EchoMessage.WriteHeader(message, id, sequence);

        Assert.True(EchoMessage.TryReadHeader(message, out var readId, out var readSequence));
        Assert.Equal(id, readId);
        Assert.Equal(sequence, readSequence);
        Assert.True(EchoMessage.FillMatches(message, EchoMessage.CreateTemplate(40)));
    }

    [Fact]
    public void AMessageIsPrintableTextWithoutNewlines()
    {
        var message = EchoMessage.CreateTemplate(100);
        EchoMessage.WriteHeader(message, 3, 42);

        Assert.All(message, b => Assert.InRange(b, (byte)'0', (byte)'z'));
        Assert.StartsWith("00000003000000000000002a", System.Text.Encoding.ASCII.GetString(message), StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedFillOrHeaderIsDetected()
    {
        var template = EchoMessage.CreateTemplate(32);
        var reply = (byte[])template.Clone();
        reply[30] ^= 1;
        Assert.False(EchoMessage.FillMatches(reply, template));

        reply = (byte[])template.Clone();
        reply[3] = (byte)'G';
        Assert.False(EchoMessage.TryReadHeader(reply, out _, out _));
        Assert.False(EchoMessage.TryReadHeader(reply.AsSpan(0, 10), out _, out _));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(15L)]
    [InlineData(0xffL)]
    [InlineData(0x19ffffL)]
    [InlineData(long.MaxValue - 1)]
    public void IncrementingTheHeaderInPlaceGivesTheNextSequence(long sequence)
    {
        var message = EchoMessage.CreateTemplate(32);
        EchoMessage.WriteHeader(message, 5, sequence);
        var next = EchoMessage.CreateTemplate(32);
        EchoMessage.WriteHeader(next, 5, sequence + 1);

        EchoMessage.IncrementSequence(message);

        Assert.Equal(next, message);
    }
}
