using CsCheck;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>Generators for the framing properties: payloads a spec can carry, message lists, stream splits.</summary>
internal static class FramingGen
{
    /// <summary>How to cut a stream into reads: one big chunk, 1-byte reads, or random chunk sizes (cycled).</summary>
    public static readonly Gen<int[]> Splits = Gen.Frequency(
        (1, Gen.Const(new[] { int.MaxValue })),
        (1, Gen.Const(new[] { 1 })),
        (4, Gen.Int[1, 9].Array[1, 8]),
        (1, Gen.Int[1, 300].Array[1, 4]));

    /// <summary>Payload lengths: mostly tiny (and empty), some past 127 (2-byte varints) and 255 (beyond u8).</summary>
    private static readonly Gen<int> Lengths = Gen.Frequency(
        (6, Gen.Int[0, 8]),
        (3, Gen.Int[9, 200]),
        (1, Gen.Int[200, 300]));

    /// <summary>Lists of 0 to 12 messages that <paramref name="spec"/> can carry.</summary>
    public static Gen<byte[][]> Messages(FrameSpec spec) =>
        Payloads(spec).Array[0, 12].Select(list => list.Where(p => SpecCatalog.Carries(spec, p)).ToArray());

    /// <summary>
    /// Payloads for <paramref name="spec"/>. For delimiters the bytes come mostly from the delimiter itself and
    /// <c>\r</c>, so whole and partial delimiter sequences are common; some of those cannot be carried.
    /// </summary>
    public static Gen<byte[]> Payloads(FrameSpec spec)
    {
        if (spec.Kind == FrameKind.Fixed)
        {
            return Gen.Byte.Array[spec.FixedSize];
        }

        var bytes = spec.Kind is FrameKind.Line or FrameKind.Delimiter
            ? Gen.OneOfConst<byte>([.. spec.Delimiter, (byte)'\r', (byte)'\n', (byte)'a', 0, 0xFF])
            : Gen.Byte;
        return Lengths.SelectMany(n => bytes.Array[n]);
    }
}
