using System.CommandLine;
using System.Globalization;
using Sockit.Addressing;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit port NAME|NUMBER [--udp]</c>: service lookup both ways, and the port's IANA range.</summary>
internal static class PortCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("NAME|NUMBER") { Description = "A service name (case-sensitive, like getservbyname) or a port number 0-65535." };
        var udp = new Option<bool>("--udp", "-u") { Description = "Look the service up for UDP instead of TCP." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("port", "Look a service up by name or port in /etc/services (or $SOCKIT_SERVICES; a built-in table when missing) and show the port's range.")
        {
            service, udp, json,
        };
        command.WithExamples("sockit port http", "sockit port 3306", "sockit port domain --udp", "sockit port 50000 --json");
        command.SetRun((parseResult, _) =>
        {
            var output = FactsOutput.For(parseResult, json);
            var protocol = parseResult.GetValue(udp) ? ServiceProtocol.Udp : ServiceProtocol.Tcp;
            var text = parseResult.GetValue(service)!;
            var table = ServiceTable.Default;
            var port = PortNumber.ParseNumberOrService(text, table, protocol);
            var entry = PortNumber.IsNumeric(text) ? table.FindByPort(port, protocol) : table.FindByName(text, protocol);
            Write(output, table, protocol, port, entry);
            return Task.FromResult(ExitCode.Success);
        });
        return command;
    }

    private static void Write(FactsOutput output, ServiceTable table, ServiceProtocol protocol, int port, ServiceEntry? entry)
    {
        var kind = PortNumber.Classify(port);
        var protocolName = protocol == ServiceProtocol.Tcp ? "tcp" : "udp";
        if (output.IsJson)
        {
            JsonOutput.WriteDocument(
                new PortDocument(port, protocolName, entry?.Name, entry?.Aliases ?? [], PortNumber.Describe(kind).Split(' ')[0], table.Source, table.FallbackReason),
                SockitJson.Default.PortDocument);
            return;
        }

        output.WriteFacts(
        [
            ("service", entry?.Name ?? "(none registered)"),
            ("port", port.ToString(CultureInfo.InvariantCulture)),
            ("protocol", protocolName),
            ("aliases", entry is { Aliases.Count: > 0 } ? string.Join(' ', entry.Aliases) : "(none)"),
            ("range", PortNumber.Describe(kind)),
            ("source", table.FallbackReason is null ? table.Source : $"{table.Source} ({table.FallbackReason})"),
        ]);
    }
}
