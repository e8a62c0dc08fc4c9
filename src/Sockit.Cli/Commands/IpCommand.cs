using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit ip aton|ntoa|pton|ntop|info</c>: the C and Python address conversions with their real semantics.</summary>
internal static class IpCommand
{
    public static Command Create() =>
        new Command("ip", "Convert and explain IP addresses: inet_aton, inet_ntoa, inet_pton, inet_ntop, and what an address or subnet is.")
        {
            CreateAton(), CreateNtoa(), CreatePton(), CreateNtop(), IpInfoCommand.Create(),
        }.WithExamples("sockit ip aton 127.1", "sockit ip ntop 20010db8000000000000000000000001", "sockit ip info 192.168.1.5/24");

    private static Command CreateAton() => CreateConversion(
        "aton",
        new Argument<string>("ADDRESS") { Description = "IPv4 in inet_aton's grammar: 1-4 parts, each decimal, 0-octal or 0x-hex." },
        "Like C/Python inet_aton: accepts shorthand (127.1, 0x7f.1, 0177.0.0.1, 10.1, 3232235778) and prints the 4 bytes as hex. " +
            "Unlike glibc, text after the address (\"1.2.3.4 junk\") is rejected.",
        ["sockit ip aton 127.1", "sockit ip aton 0xc0.168.1.2 --json"],
        (input, _) =>
        {
            var address = InetAton.Parse(input);
            return (address, ByteText.ToHex(address.GetAddressBytes()));
        });

    private static Command CreateNtoa() => CreateConversion(
        "ntoa",
        new Argument<string>("BYTES") { Description = "4 bytes: 8 hex digits (optional 0x) or a Python bytes literal." },
        "Like inet_ntoa: 4 bytes in network order to dotted decimal.",
        ["sockit ip ntoa c0a80102", "sockit ip ntoa 0x7f000001", @"sockit ip ntoa ""b'\xc0\xa8\x01\x02'"""],
        (input, _) =>
        {
            var bytes = ByteText.Parse(input);
            return bytes.Length == 4
                ? (new IPAddress(bytes), InetNtop.FormatIPv4(bytes))
                : throw new FormatException($"'{input}' is not 4 bytes but {bytes.Length} (inet_ntoa takes exactly 4; use 'ip ntop' for IPv6)");
        });

    private static Command CreatePton() => CreateConversion(
        "pton",
        new Argument<string>("TEXT") { Description = "A dotted-quad IPv4 address or RFC 4291 IPv6 text." },
        "Like inet_pton, strict: IPv4 is exactly a.b.c.d (127.1 is rejected); IPv6 may end in a dotted quad; brackets, ports and %scope are rejected. Prints hex.",
        ["sockit ip pton 192.168.1.2", "sockit ip pton -6 ::ffff:10.0.0.1", "sockit ip pton 2001:db8::1 --json"],
        (input, family) =>
        {
            var address = family == AddressFamily.Unspecified ? InetPton.Parse(input) : InetPton.Parse(input, family);
            return (address, ByteText.ToHex(address.GetAddressBytes()));
        },
        withFamily: true);

    private static Command CreateNtop() => CreateConversion(
        "ntop",
        new Argument<string>("BYTES") { Description = "4 or 16 bytes: hex digits (optional 0x, ':' separators allowed) or a Python bytes literal." },
        "Like inet_ntop: 4 bytes to IPv4, 16 bytes to IPv6 in RFC 5952 form (lower case, longest zero run as ::).",
        ["sockit ip ntop 20010db8000000000000000000000001", "sockit ip ntop 00000000000000000000ffff7f000001", "sockit ip ntop 0a000001"],
        (input, _) =>
        {
            var bytes = ByteText.Parse(input);
            return bytes.Length is 4 or 16
                ? (new IPAddress(bytes), InetNtop.Format(bytes))
                : throw new FormatException($"'{input}' is not 4 or 16 bytes but {bytes.Length}");
        });

    /// <summary>The four conversions share a shape: one value in, one value out as text, or the address as JSON.</summary>
    private static Command CreateConversion(
        string name, Argument<string> value, string description, string[] examples, Func<string, AddressFamily, (IPAddress Address, string Text)> convert, bool withFamily = false)
    {
        var json = FactsOutput.CreateJsonOption();
        var (v4, v6) = FactsOutput.CreateFamilyOptions();
        var command = new Command(name, description) { value, json };
        command.WithExamples(examples);
        if (withFamily)
        {
            command.Options.Add(v4);
            command.Options.Add(v6);
        }

        command.SetRun((parseResult, _) =>
        {
            var input = parseResult.GetValue(value)!;
            var (address, text) = convert(input, FactsOutput.Family(parseResult, v4, v6));
            Print(FactsOutput.For(parseResult, json), input, address, text);
            return Task.FromResult(ExitCode.Success);
        });
        return command;
    }

    /// <summary>The four conversions print one value as text, or the same JSON document describing the address.</summary>
    private static void Print(FactsOutput output, string input, IPAddress address, string result)
    {
        if (!output.IsJson)
        {
            output.WriteLine(result, $"[bold]{result}[/]");
            return;
        }

        JsonOutput.WriteDocument(IpConversionDocument.From(input, address), SockitJson.Default.IpConversionDocument);
    }
}
