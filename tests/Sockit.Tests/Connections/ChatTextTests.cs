using System.Buffers;
using System.Text;
using Sockit.Services;

namespace Sockit.Tests.Connections;

public sealed class ChatTextTests
{
    [Theory]
    [InlineData("plain text, tab\tkept", "plain text, tab\tkept")]
    [InlineData("hi\r[127.0.0.1:1] spoofed\u001b[2J", "hi\\x0d[127.0.0.1:1] spoofed\\x1b[2J")]
    [InlineData("\0\u0001\u001f\u007f", "\\x00\\x01\\x1f\\x7f")]
    [InlineData("c1 \u0080\u009b\u009f end", "c1 \\x80\\x9b\\x9f end")]
    [InlineData("latin \u00a0\u00bf\u00e9 and 日本", "latin \u00a0\u00bf\u00e9 and 日本")]
    [InlineData("admin\u202e gnp.exe \u2066x\u2069", "admin\\u202e gnp.exe \\u2066x\\u2069")]
    [InlineData("dash \u2014 and \u2020 stay", "dash \u2014 and \u2020 stay")]
    public void ControlCharactersBecomeVisibleEscapesAndEverythingElsePassesUnchanged(string line, string shown)
    {
        Assert.Equal(shown, Escape(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void ALoneC2LeadByteAtTheEndPassesUnchanged()
    {
        Assert.Equal("a\\x0d"u8.ToArray().Concat(new byte[] { 0xC2 }), EscapeBytes([(byte)'a', (byte)'\r', 0xC2]));
    }

    private static string Escape(byte[] text) => Encoding.UTF8.GetString(EscapeBytes(text));

    private static byte[] EscapeBytes(byte[] text)
    {
        var output = new ArrayBufferWriter<byte>();
        ChatText.EscapeControls(text, output);
        return output.WrittenSpan.ToArray();
    }
}
