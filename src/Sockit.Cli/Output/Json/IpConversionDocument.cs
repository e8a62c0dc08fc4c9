using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Sockit.Addressing;
using Sockit.Cli.Commands;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit ip aton|ntoa|pton|ntop --json</c>: the converted address in every form.</summary>
/// <param name="Input">The argument as given.</param>
/// <param name="Family"><c>ipv4</c> or <c>ipv6</c>.</param>
/// <param name="Address">The address as text (dotted quad, or RFC 5952 IPv6).</param>
/// <param name="Hex">The bytes in network order as lower-case hex, no separators.</param>
/// <param name="Python">The bytes as a Python bytes literal (<c>b'\x7f\x00\x00\x01'</c>).</param>
/// <param name="Bytes">The bytes in network order, each 0-255 (4 or 16 of them).</param>
/// <param name="Value">IPv4 only: the 32-bit big-endian value as an unsigned number (what inet_aton's in_addr holds); absent for IPv6.</param>
internal sealed record IpConversionDocument(
    string Input,
    string Family,
    string Address,
    string Hex,
    string Python,
    IReadOnlyList<int> Bytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? Value)
{
    public static IpConversionDocument From(string input, IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return new(
            input,
            FactsOutput.FamilyName(address),
            InetNtop.Format(bytes),
            ByteText.ToHex(bytes),
            ByteText.ToPythonLiteral(bytes),
            [.. bytes.Select(b => (int)b)],
            address.AddressFamily == AddressFamily.InterNetwork ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : null);
    }
}
