using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Spectre.Console;

namespace Sockit.Cli.Commands;

/// <summary>
/// How the network-facts commands print: one JSON document with <c>--json</c> (<see cref="Output.Json.JsonOutput"/>);
/// colour and tables only when stdout is a terminal and NO_COLOR is unset; otherwise plain, stable text (aligned <c>label: value</c> lines and
/// space-aligned columns) that scripts can rely on.
/// </summary>
internal sealed class FactsOutput
{
    private FactsOutput(bool json, bool rich)
    {
        IsJson = json;
        IsRich = rich;
    }

    /// <summary>True with <c>--json</c>.</summary>
    public bool IsJson { get; }

    /// <summary>True when colour and tables are wanted.</summary>
    public bool IsRich { get; }

    /// <summary>The <c>--json</c> option every facts command has.</summary>
    public static Option<bool> CreateJsonOption() => new("--json") { Description = "Print one JSON document instead of text." };

    /// <summary>The <c>-4</c> and <c>-6</c> options of the commands that can be limited to one address family.</summary>
    public static (Option<bool> V4, Option<bool> V6) CreateFamilyOptions() =>
        (new("-4") { Description = "IPv4 only (AF_INET)." }, new("-6") { Description = "IPv6 only (AF_INET6)." });

    /// <summary>The family <c>-4</c>/<c>-6</c> ask for, <see cref="AddressFamily.Unspecified"/> for neither.</summary>
    /// <exception cref="UsageException">Both were given.</exception>
    public static AddressFamily Family(ParseResult parseResult, Option<bool> v4, Option<bool> v6) =>
        (parseResult.GetValue(v4), parseResult.GetValue(v6)) switch
        {
            (true, true) => throw new UsageException("-4 and -6 cannot be used together"),
            (true, false) => AddressFamily.InterNetwork,
            (false, true) => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };

    /// <summary><c>ipv4</c> or <c>ipv6</c>, as the JSON documents name families.</summary>
    public static string FamilyName(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? "ipv4" : "ipv6";

    /// <summary>Decides the output style for this run.</summary>
    public static FactsOutput For(ParseResult parseResult, Option<bool> json) =>
        new(parseResult.GetValue(json), !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Writes <c>label: value</c> rows, labels padded so values line up.</summary>
    public void WriteFacts(IReadOnlyList<(string Label, string Value)> rows)
    {
        if (IsRich)
        {
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            foreach (var (label, value) in rows)
            {
                grid.AddRow(new Markup($"[grey]{Markup.Escape(label)}[/]"), new Markup($"[bold]{Markup.Escape(value)}[/]"));
            }

            AnsiConsole.Write(grid);
            return;
        }

        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Label.Length) + 1;
        foreach (var (label, value) in rows)
        {
            Console.Out.WriteLine((label + ":").PadRight(width) + " " + value);
        }
    }

    /// <summary>Writes a table: a Spectre table on a terminal, else a header line and space-aligned columns.</summary>
    public void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (IsRich)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn($"[bold]{Markup.Escape(header)}[/]"));
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
            return;
        }

        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(headers))
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>Writes one line; <paramref name="markup"/> (Spectre markup) on a terminal, <paramref name="plain"/> otherwise.</summary>
    public void WriteLine(string plain, string? markup = null)
    {
        if (IsRich && markup is not null)
        {
            AnsiConsole.MarkupLine(markup);
        }
        else
        {
            Console.Out.WriteLine(plain);
        }
    }
}
