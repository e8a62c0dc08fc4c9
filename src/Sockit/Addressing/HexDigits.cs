using System.Buffers;

namespace Sockit.Addressing;

/// <summary>The ASCII hex digits, for fast "anything else?" checks.</summary>
internal static class HexDigits
{
    public static readonly SearchValues<char> Values = SearchValues.Create("0123456789abcdefABCDEF");
}
