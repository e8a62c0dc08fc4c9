using System.Buffers;

namespace Sockit.Addressing;

/// <summary>The characters a host name may contain: LDH (RFC 1123) plus <c>_</c> and <c>.</c>, which resolvers accept.</summary>
internal static class HostNameChars
{
    public static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");
}
