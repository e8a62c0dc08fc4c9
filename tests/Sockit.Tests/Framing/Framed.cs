using System.Buffers;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>Small conveniences shared by the framing tests.</summary>
internal static class Framed
{
    /// <summary>The bytes <paramref name="spec"/>'s encoder writes for <paramref name="messages"/>, in order.</summary>
    public static byte[] Encode(FrameSpec spec, IEnumerable<byte[]> messages)
    {
        var encoder = spec.CreateEncoder();
        var output = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            encoder.Encode(message, output);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Hex per frame: readable when an assertion on frame lists fails.</summary>
    public static string[] Hex(IEnumerable<byte[]> frames) => frames.Select(Convert.ToHexString).ToArray();

    /// <summary>ASCII bytes of <paramref name="text"/>.</summary>
    public static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);

    /// <summary>Concatenates byte arrays.</summary>
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
