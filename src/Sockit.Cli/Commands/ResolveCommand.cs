using System.CommandLine;
using System.Net.Sockets;
using Sockit.Addressing;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit resolve NAME [-4|-6] [--all]</c>: a forward lookup, or a reverse one for an IP literal.</summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "A host name, or an IP address to look up in reverse." };
        var (v4, v6) = FactsOutput.CreateFamilyOptions();
        var all = new Option<bool>("--all", "-a") { Description = "Also show aliases and the reverse name of every address." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("resolve", "Resolve a name through the system resolver (hosts file, DNS) to its canonical name and every address; an IP address resolves in reverse.")
        {
            name, v4, v6, all, json,
        };
        command.WithExamples("sockit resolve localhost", "sockit resolve localhost -4 --all", "sockit resolve 127.0.0.1", "sockit resolve example.com --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var family = FactsOutput.Family(parseResult, v4, v6);
            var resolution = await NameResolver.ResolveAsync(parseResult.GetValue(name)!, family, cancellationToken);
            var showAll = parseResult.GetValue(all);
            var reverseNames = new List<string?>();
            foreach (var address in resolution.Addresses)
            {
                reverseNames.Add(showAll && !resolution.IsReverse ? await NameResolver.ReverseAsync(address, cancellationToken) : null);
            }

            Write(FactsOutput.For(parseResult, json), resolution, showAll, reverseNames);
            return ExitCode.Success;
        });
        return command;
    }

    private static void Write(FactsOutput output, Resolution resolution, bool showAll, List<string?> reverseNames)
    {
        if (output.IsJson)
        {
            JsonOutput.WriteDocument(ResolveDocument.From(resolution, showAll ? reverseNames : null), SockitJson.Default.ResolveDocument);
            return;
        }

        var rows = new List<(string, string)> { (resolution.IsReverse ? "name" : "canonical name", resolution.CanonicalName) };
        if (showAll || resolution.IsReverse)
        {
            rows.AddRange(resolution.Aliases.Select(a => ("alias", a)));
        }

        rows.AddRange(resolution.Addresses.Select((a, i) =>
            ("address", InetNtop.Format(a) + (reverseNames[i] is { } reverse ? $" ({reverse})" : ""))));
        output.WriteFacts(rows);
    }
}
