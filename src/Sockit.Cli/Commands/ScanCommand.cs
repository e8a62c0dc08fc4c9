using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sockit.Addressing;
using Sockit.Cli.Options;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit scan HOST PORTS [--timeout T] [--concurrency N]</c>: a TCP connect scan. Exit 0 when at least one port is
/// open, 1 when none is: the <c>nc -z</c> convention, so <c>sockit scan host 5432 &amp;&amp; ...</c> waits on a server in scripts.
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "A host name or an IP address (only scan hosts you are allowed to)." };
        var ports = new Argument<string>("PORTS") { Description = "Ports, ranges and TCP service names, comma-separated: 22,80-90,mysql." };
        var timeout = new Option<string>("--timeout", "-t") { Description = "How long each connect may take.", DefaultValueFactory = _ => "1s" };
        var concurrency = new Option<int>("--concurrency", "-n") { Description = "Connects in flight at once.", DefaultValueFactory = _ => 100 };
        var openOnly = new Option<bool>("--open") { Description = "List open ports only." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("scan", "TCP connect scan: try each port and report open, closed (refused) or timed out, with the service name. The summary goes to stderr. Exit 0 when at least one port is open, 1 when none is (as nc -z).")
        {
            host, ports, timeout, concurrency, openOnly, json,
        };
        command.WithExamples("sockit scan 127.0.0.1 22,80-90,mysql", "sockit scan localhost 1-1024 --open", "sockit scan 127.0.0.1 8000-8100 --timeout 200ms --concurrency 20 --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var inFlight = parseResult.GetValue(concurrency);
            if (inFlight < 1)
            {
                throw new UsageException($"--concurrency: '{inFlight}' is not a count (1 or more)");
            }

            var options = new PortScanOptions { Timeout = Duration.ParseTimeout(parseResult.GetValue(timeout)!, "--timeout"), Concurrency = inFlight };
            var services = ServiceTable.Default;
            var portList = PortList.Parse(parseResult.GetValue(ports)!, services);
            var target = HostEndpoint.FromHost(parseResult.GetValue(host)!, 0);
            var address = (await target.ResolveAsync(cancellationToken))[0];
            await TcpProbe.WarmUpAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var results = await PortScanner.ScanAsync(address, portList, options, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var shown = parseResult.GetValue(openOnly) ? results.Where(r => r.Outcome == ProbeOutcome.Open).ToArray() : results;
            var output = FactsOutput.For(parseResult, json);
            if (output.IsJson)
            {
                WriteJson(target.Host, address.ToString(), shown, services, elapsed);
                return ExitFor(results);
            }

            output.WriteTable(["PORT", "STATE", "SERVICE", "TIME"], [.. shown.Select(r => (IReadOnlyList<string>)
                [r.EndPoint.Port.ToString(CultureInfo.InvariantCulture), StateName(r), services.FindByPort(r.EndPoint.Port)?.Name ?? "-",
                 r.Elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms"])]);
            var counts = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scanned {results.Count} port{(results.Count == 1 ? "" : "s")} on {target.Host} ({address}) in {elapsed.TotalSeconds:0.00} s: " +
                $"{counts.GetValueOrDefault(ProbeOutcome.Open)} open, {counts.GetValueOrDefault(ProbeOutcome.Closed)} closed, " +
                $"{counts.GetValueOrDefault(ProbeOutcome.TimedOut)} timed out, {counts.GetValueOrDefault(ProbeOutcome.Error)} unreachable"));
            return ExitFor(results);
        });
        return command;
    }

    /// <summary>
    /// The <c>nc -z</c> convention: success when at least one port is open, failure when none is. The table (or JSON)
    /// and the summary line already say what was found, so there is no extra error line.
    /// </summary>
    private static ExitCode ExitFor(IReadOnlyList<ProbeResult> results) =>
        results.Any(r => r.Outcome == ProbeOutcome.Open) ? ExitCode.Success : ExitCode.Failure;

    /// <summary>The word for a probe's outcome: open, closed, timed-out, or the socket error.</summary>
    internal static string StateName(ProbeResult result) => result.Outcome switch
    {
        ProbeOutcome.Open => "open",
        ProbeOutcome.Closed => "closed",
        ProbeOutcome.TimedOut => "timed-out",
        _ => "error:" + result.Error,
    };

    private static void WriteJson(string host, string address, IReadOnlyList<ProbeResult> results, ServiceTable services, TimeSpan elapsed) =>
        JsonOutput.WriteDocument(
            new ScanDocument(host, address, Math.Round(elapsed.TotalMilliseconds, 1), [.. results.Select(r =>
                new ScannedPort(r.EndPoint.Port, StateName(r), services.FindByPort(r.EndPoint.Port)?.Name, Math.Round(r.Elapsed.TotalMilliseconds, 3)))]),
            SockitJson.Default.ScanDocument);
}
