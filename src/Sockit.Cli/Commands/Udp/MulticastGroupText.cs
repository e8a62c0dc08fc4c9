using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sockit.Udp;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Parses <c>--group GROUP[%INTERFACE]</c>: a multicast address and, optionally, an interface name or index.</summary>
internal static class MulticastGroupText
{
    public static (IPAddress Group, int InterfaceIndex) Parse(string text)
    {
        var percent = text.LastIndexOf('%');
        var addressText = percent < 0 ? text : text[..percent];
        if (!IPAddress.TryParse(addressText, out var group) || !UdpEndpoint.IsMulticast(group))
        {
            throw new UsageException($"--group: '{text}' is not a multicast group (224.0.0.0/4 or ff00::/8, optionally %INTERFACE, e.g. 239.1.2.3%lo)");
        }

        return (group, percent < 0 ? 0 : InterfaceIndex(text, text[(percent + 1)..], group.AddressFamily));
    }

    private static int InterfaceIndex(string text, string name, AddressFamily family)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index > 0)
        {
            return index;
        }

        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
            ?? throw new UsageException($"--group: '{text}': no network interface is called '{name}'");
        var properties = nic.GetIPProperties();
        return family == AddressFamily.InterNetwork
            ? properties.GetIPv4Properties()?.Index ?? throw new UsageException($"--group: '{text}': interface '{name}' has no IPv4")
            : properties.GetIPv6Properties()?.Index ?? throw new UsageException($"--group: '{text}': interface '{name}' has no IPv6");
    }
}
