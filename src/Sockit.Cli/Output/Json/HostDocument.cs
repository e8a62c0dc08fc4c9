using System.Text.Json.Serialization;
using Sockit.Addressing;
using Sockit.Cli.Commands;

namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit host --json</c>: this machine's names and interfaces.</summary>
/// <param name="Hostname">gethostname.</param>
/// <param name="Fqdn">The fully qualified name; the host name when the resolver does not know it.</param>
/// <param name="FqdnError">Why the resolver could not give the FQDN, else null.</param>
/// <param name="Interfaces">Every interface, in the order the system lists them.</param>
internal sealed record HostDocument(
    [property: JsonPropertyName("hostname")] string Hostname,
    string Fqdn,
    string? FqdnError,
    IReadOnlyList<HostInterface> Interfaces)
{
    public static HostDocument From(HostFacts facts) => new(
        facts.HostName,
        facts.Fqdn,
        facts.FqdnError,
        [.. facts.Interfaces.Select(nic => new HostInterface(
            nic.Name,
            nic.Kind.ToString(),
            nic.IsUp,
            nic.MacAddress,
            [.. nic.Addresses.Select(a => new InterfaceAddress(InetNtop.Format(a.Address), a.PrefixLength, FactsOutput.FamilyName(a.Address)))]))]);
}

/// <summary>One interface of <see cref="HostDocument"/>.</summary>
/// <param name="Name">The interface name (<c>lo</c>, <c>eth0</c>).</param>
/// <param name="Type">.NET's NetworkInterfaceType name: Loopback, Ethernet, Wireless80211, Tunnel…</param>
/// <param name="Up">True when the interface is up.</param>
/// <param name="Mac">The hardware address as <c>aa:bb:cc:dd:ee:ff</c>, null when it has none.</param>
/// <param name="Addresses">Its addresses.</param>
internal sealed record HostInterface(string Name, string Type, bool Up, string? Mac, IReadOnlyList<InterfaceAddress> Addresses);

/// <summary>One address of an interface.</summary>
/// <param name="Address">The address (RFC 5952 for IPv6).</param>
/// <param name="PrefixLength">The on-link prefix length in bits.</param>
/// <param name="Family"><c>ipv4</c> or <c>ipv6</c>.</param>
internal sealed record InterfaceAddress(string Address, int PrefixLength, string Family);
