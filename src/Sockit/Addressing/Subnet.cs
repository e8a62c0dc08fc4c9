using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Sockit.Addressing;

/// <summary>
/// An address with a prefix length, <c>192.168.1.5/24</c> or <c>2001:db8::/64</c>, and its subnet arithmetic.
/// Unlike Python's <c>ip_network</c> (which raises) and .NET's <see cref="IPNetwork"/> (which refuses), host bits
/// set in the address are accepted and reported through <see cref="HostBitsSet"/>: the user usually typed an
/// interface address and wants its network.
/// </summary>
public sealed class Subnet
{
    private readonly UInt128 _address;
    private readonly UInt128 _mask;
    private readonly int _width;

    private Subnet(IPAddress address, int prefixLength)
    {
        Address = address;
        PrefixLength = prefixLength;
        _width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        _address = ToNumber(address);
        var all = _width == 32 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
        _mask = prefixLength == 0 ? 0 : all & ~((UInt128.One << (_width - prefixLength)) - 1) & all;
    }

    /// <summary>The address as written (host bits included).</summary>
    public IPAddress Address { get; }

    /// <summary>The number of network bits: 0–32 for IPv4, 0–128 for IPv6.</summary>
    public int PrefixLength { get; }

    /// <summary>True when <see cref="Address"/> has bits set beyond the prefix (<c>192.168.1.5/24</c>).</summary>
    public bool HostBitsSet => (_address & ~_mask & AllOnes) != 0;

    /// <summary>The network address (host bits cleared).</summary>
    public IPAddress Network => ToAddress(_address & _mask);

    /// <summary>The IPv4 directed broadcast address (all host bits set); null for IPv6, which has none, and for
    /// /31 and /32, which have no room for one (RFC 3021).</summary>
    public IPAddress? Broadcast => _width == 32 && PrefixLength < 31 ? ToAddress(Last) : null;

    /// <summary>The netmask: <c>255.255.255.0</c> for /24, <c>ffff:ffff:ffff:ffff::</c> for /64.</summary>
    public IPAddress Netmask => ToAddress(_mask);

    /// <summary>The wildcard (host) mask, the netmask inverted: <c>0.0.0.255</c> for /24, as ACLs write it.</summary>
    public IPAddress Wildcard => ToAddress(~_mask & AllOnes);

    /// <summary>The first usable host. IPv4 skips the network address (except /31 and /32); IPv6 skips the
    /// subnet-router anycast address (RFC 4291 §2.6.1), except /127 (RFC 6164) and /128.</summary>
    public IPAddress FirstHost => ToAddress((_address & _mask) + (PrefixLength >= _width - 1 ? UInt128.Zero : UInt128.One));

    /// <summary>The last usable host. IPv4 skips the broadcast address (except /31 and /32); IPv6 has no broadcast.</summary>
    public IPAddress LastHost => ToAddress(Last - (_width == 32 && PrefixLength < 31 ? UInt128.One : UInt128.Zero));

    /// <summary>How many addresses the prefix covers: 2^(width − prefix). Up to 2^128, hence a <see cref="BigInteger"/>.</summary>
    public BigInteger AddressCount => BigInteger.One << (_width - PrefixLength);

    /// <summary>How many of them are usable hosts (<see cref="FirstHost"/> to <see cref="LastHost"/>).</summary>
    public BigInteger UsableHostCount =>
        PrefixLength >= _width - 1 ? AddressCount : AddressCount - (_width == 32 ? 2 : 1);

    private UInt128 AllOnes => _width == 32 ? uint.MaxValue : UInt128.MaxValue;

    private UInt128 Last => (_address & _mask) | (~_mask & AllOnes);

    /// <summary>Parses <c>ADDR/PREFIX</c> (or <c>ADDR/NETMASK</c> for IPv4, <c>10.0.0.0/255.0.0.0</c>); the address is
    /// strict <see cref="InetPton"/> text.</summary>
    /// <exception cref="FormatException">Not a subnet; the one-line message names the value and the reason.</exception>
    public static Subnet Parse(string text) =>
        TryParse(text, out var subnet, out var error) ? subnet : throw new FormatException(error);

    /// <summary>Parses without throwing; <paramref name="error"/> is one line naming the value.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Subnet? subnet, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        subnet = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"'{text}' is not a subnet: expected ADDRESS/PREFIX";
            return false;
        }

        var addressText = text[..slash];
        if (!InetPton.TryParse(addressText, InetPton.GuessFamily(addressText), out var address, out var why))
        {
            error = $"'{text}' is not a subnet: {why}";
            return false;
        }

        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixText = text[(slash + 1)..];
        if (!TryParsePrefix(prefixText, width, out var prefix))
        {
            error = $"'{text}' is not a subnet: '{prefixText}' is not a prefix length (0-{width}){(width == 32 ? " or a contiguous netmask" : "")}";
            return false;
        }

        subnet = new Subnet(address, prefix);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="address"/> is inside this subnet.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == Address.AddressFamily && (ToNumber(address) & _mask) == (_address & _mask);
    }

    /// <summary><c>network/prefix</c>, e.g. <c>192.168.1.0/24</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{InetNtop.Format(Network)}/{PrefixLength}");

    private static bool TryParsePrefix(string text, int width, out int prefix)
    {
        if (text.Length is > 0 and <= 3 && PortNumber.TryParse(text, out prefix))
        {
            return prefix <= width;
        }

        prefix = 0;
        if (width != 32 || !InetPton.TryParse(text, AddressFamily.InterNetwork, out var mask, out _))
        {
            return false;
        }

        // A netmask is valid only if its one bits are contiguous from the top: ~mask + 1 is then a power of two.
        var value = (uint)ToNumber(mask);
        if (!BitOperations.IsPow2((ulong)~value + 1))
        {
            return false;
        }

        prefix = BitOperations.PopCount(value);
        return true;
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private IPAddress ToAddress(UInt128 value)
    {
        var bytes = new byte[_width / 8];
        for (var i = bytes.Length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return new IPAddress(bytes);
    }
}
