using System.Net.NetworkInformation;

namespace Sockit.Addressing;

/// <summary>One network interface and its unicast addresses.</summary>
/// <param name="Name">The system's name, e.g. <c>lo</c>, <c>eth0</c>.</param>
/// <param name="Kind">Loopback, Ethernet, Wireless80211, Tunnel…</param>
/// <param name="IsUp">True when the operational status is Up (loopback on Linux reports Unknown: counted as up).</param>
/// <param name="MacAddress">The hardware address as <c>aa:bb:cc:dd:ee:ff</c>, or null when it has none.</param>
/// <param name="Addresses">Its unicast addresses with prefix lengths, as <c>ADDR/PREFIX</c> subnets.</param>
public sealed record InterfaceFacts(string Name, NetworkInterfaceType Kind, bool IsUp, string? MacAddress, IReadOnlyList<Subnet> Addresses)
{
    /// <summary>Reads the facts of <paramref name="nic"/>.</summary>
    public static InterfaceFacts From(NetworkInterface nic)
    {
        ArgumentNullException.ThrowIfNull(nic);
        var mac = nic.GetPhysicalAddress().GetAddressBytes();
        var addresses = nic.GetIPProperties().UnicastAddresses
            .Select(a => Subnet.Parse($"{InetNtop.Format(a.Address)}/{a.PrefixLength}"))
            .ToArray();
        return new InterfaceFacts(
            nic.Name,
            nic.NetworkInterfaceType,
            nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
            mac.Length == 0 || mac.All(b => b == 0) ? null : string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
            addresses);
    }
}
