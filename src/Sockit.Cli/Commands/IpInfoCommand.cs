using System.CommandLine;
using System.Globalization;
using System.Net;
using Sockit.Addressing;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit ip info ADDR[/PREFIX]</c>: the address's special-purpose categories and, with a prefix, the subnet arithmetic.</summary>
internal static class IpInfoCommand
{
    public static Command Create()
    {
        var value = new Argument<string>("ADDR[/PREFIX]") { Description = "An IPv4 or IPv6 address (strict), optionally with /PREFIX or, for IPv4, /NETMASK." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("info", "Say what an address is (loopback, private-use, shared, link-local, multicast, documentation, global… from the IANA " +
            "special-purpose registries) and, with a prefix, its network, broadcast, netmask, wildcard, first and last host and size.")
        {
            value, json,
        };
        command.WithExamples("sockit ip info 100.64.1.1", "sockit ip info 192.168.1.5/24", "sockit ip info 2001:db8::/64 --json", "sockit ip info 10.0.0.0/255.255.0.0");
        command.SetRun((parseResult, _) =>
        {
            var input = parseResult.GetValue(value)!;
            var subnet = input.Contains('/', StringComparison.Ordinal) ? Subnet.Parse(input) : null;
            var info = AddressInfo.Of(subnet?.Address ?? InetPton.Parse(input));
            var output = FactsOutput.For(parseResult, json);
            if (output.IsJson)
            {
                JsonOutput.WriteDocument(IpInfoDocument.From(input, info, subnet), SockitJson.Default.IpInfoDocument);
            }
            else
            {
                output.WriteFacts([.. Facts(info, subnet)]);
            }

            return Task.FromResult(ExitCode.Success);
        });
        return command;
    }

    private static IEnumerable<(string, string)> Facts(AddressInfo info, Subnet? subnet)
    {
        yield return ("address", InetNtop.Format(info.Address));
        yield return ("version", info.Version.ToString(CultureInfo.InvariantCulture));
        yield return ("categories", CategoryList(info));
        foreach (var block in info.Blocks)
        {
            yield return ("block", $"{block.Network} {block.Name} ({block.Reference})");
        }

        yield return ("globally reachable", info.IsGlobal ? "yes" : "no");
        if (info.EmbeddedIPv4 is { } v4)
        {
            yield return ("embedded ipv4", $"{v4.Address} ({CategoryList(v4)})");
        }

        if (subnet is null)
        {
            yield break;
        }

        yield return ("network", subnet.ToString());
        if (subnet.HostBitsSet)
        {
            yield return ("host bits set", $"yes: {InetNtop.Format(subnet.Address)} is a host in {subnet}, not its network address");
        }

        yield return ("netmask", InetNtop.Format(subnet.Netmask));
        yield return ("wildcard", InetNtop.Format(subnet.Wildcard));
        if (subnet.Broadcast is { } broadcast)
        {
            yield return ("broadcast", InetNtop.Format(broadcast));
        }

        yield return ("first host", InetNtop.Format(subnet.FirstHost));
        yield return ("last host", InetNtop.Format(subnet.LastHost));
        yield return ("addresses", subnet.AddressCount.ToString(CultureInfo.InvariantCulture));
        yield return ("usable hosts", subnet.UsableHostCount.ToString(CultureInfo.InvariantCulture));
    }

    private static string CategoryList(AddressInfo info) => string.Join(", ", info.Categories.Select(AddressCategories.Name));
}
