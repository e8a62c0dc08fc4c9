using System.CommandLine;
using Sockit.Addressing;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit host</c>: this machine's host name, FQDN and interface addresses.</summary>
internal static class HostCommand
{
    public static Command Create()
    {
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("host", "Show this host's name (gethostname), its fully qualified name and every interface with its addresses.")
        {
            json,
        };
        command.WithExamples("sockit host", "sockit host --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var facts = await HostFacts.GatherAsync(cancellationToken);
            var output = FactsOutput.For(parseResult, json);
            if (output.IsJson)
            {
                JsonOutput.WriteDocument(HostDocument.From(facts), SockitJson.Default.HostDocument);
                return ExitCode.Success;
            }

            output.WriteFacts(
            [
                ("hostname", facts.HostName),
                ("fqdn", facts.FqdnError is null ? facts.Fqdn : $"{facts.Fqdn} (the resolver does not know it: {facts.FqdnError})"),
            ]);
            output.WriteLine("");

            // One row per address, so piped output greps cleanly (`sockit host | grep eth0`).
            var rows = facts.Interfaces.SelectMany(nic => (nic.Addresses.Count == 0 ? [null] : nic.Addresses.Cast<Subnet?>())
                .Select(a => (IReadOnlyList<string>)[nic.Name, nic.IsUp ? "up" : "down", nic.Kind.ToString(), nic.MacAddress ?? "-",
                    a is null ? "-" : $"{InetNtop.Format(a.Address)}/{a.PrefixLength}"]))
                .ToArray();
            output.WriteTable(["INTERFACE", "STATE", "TYPE", "MAC", "ADDRESS"], rows);
            return ExitCode.Success;
        });
        return command;
    }
}
