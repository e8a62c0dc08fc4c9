using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Sockit.Addressing;
using Sockit.Cli.Options;
using Sockit.Cli.Output.Json;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit ping HOST [-c N] [-i INTERVAL] [-W TIMEOUT] [-p PORT]</c>: ICMP echo, or the time of a TCP connect.</summary>
internal static class PingCommand
{
    private sealed record Probe(int Sequence, bool Answered, string Status, TimeSpan Time, int? Ttl);

    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "A host name or an IP address." };
        var count = new Option<int>("--count", "-c") { Description = "Stop after N probes, 1 or more (default: until Ctrl-C).", HelpName = "N" };
        var interval = new Option<string>("--interval", "-i") { Description = "Time between probes (e.g. 200ms).", DefaultValueFactory = _ => "1s" };
        var timeout = new Option<string>("--timeout", "-W") { Description = "How long to wait for each reply.", DefaultValueFactory = _ => "2s" };
        var port = new Option<string>("--port", "-p") { Description = "Time a TCP connect to PORT (number or service name) instead of ICMP echo." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command("ping", "Send ICMP echo requests (or, with -p, time TCP connects) and print each reply and a summary: sent, received, loss, min/avg/max/mdev. Ctrl-C stops and prints the summary.")
        {
            host, count, interval, timeout, port, json,
        };
        command.WithExamples("sockit ping localhost -c 3", "sockit ping 127.0.0.1 -p 22 -c 5 -i 200ms", "sockit ping example.com -p https -c 3 --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(count); // 0 when -c is left out: until Ctrl-C
            if (parseResult.GetResult(count) is not null && n < 1)
            {
                // As iputils ping: -c 0 is not "forever" (leave -c out for that), and a count is at least 1.
                throw new UsageException($"--count: '{n}' is not a count: give 1 or more (leave -c out to ping until Ctrl-C)");
            }

            var every = Duration.Parse(parseResult.GetValue(interval)!, "--interval");
            var wait = Duration.ParseTimeout(parseResult.GetValue(timeout)!, "--timeout");
            var portText = parseResult.GetValue(port);
            int? tcpPort = portText is null ? null : PortNumber.ParseNumberOrService(portText, ServiceTable.Default);
            var target = HostEndpoint.FromHost(parseResult.GetValue(host)!, tcpPort ?? 0);
            var address = (await target.ResolveAsync(cancellationToken))[0];
            if (tcpPort is null)
            {
                await IcmpEcho.WarmUpAsync(cancellationToken);
            }
            else
            {
                await TcpProbe.WarmUpAsync(cancellationToken);
            }

            var output = FactsOutput.For(parseResult, json);
            var mode = tcpPort is null ? "icmp" : "tcp";
            if (!output.IsJson)
            {
                output.WriteLine(tcpPort is null
                    ? $"PING {target.Host} ({address}): ICMP echo, {IcmpEcho.DefaultPayloadSize} data bytes"
                    : $"PING {target.Host} ({address}) port {tcpPort}: TCP connect");
            }

            var statistics = new PingStatistics();
            var probes = new List<Probe>();
            var started = Stopwatch.GetTimestamp();
            try
            {
                for (var seq = 1; n == 0 || seq <= n; seq++)
                {
                    if (seq > 1)
                    {
                        await Task.Delay(every, cancellationToken);
                    }

                    var probe = tcpPort is { } p
                        ? await ConnectAsync(new IPEndPoint(address, p), seq, wait, cancellationToken)
                        : await EchoAsync(address, seq, wait, cancellationToken);
                    statistics.Add(probe.Answered ? probe.Time : null);
                    probes.Add(probe);
                    if (!output.IsJson)
                    {
                        output.WriteLine(Describe(probe, address, tcpPort));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM: like ping, stop and print what was measured.
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (output.IsJson)
            {
                WriteJson(target.Host, address, mode, tcpPort, probes, statistics, elapsed);
            }
            else
            {
                output.WriteLine("");
                output.WriteLine($"--- {target.Host} ping statistics ---");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{statistics.Sent} sent, {statistics.Received} received, {statistics.LossPercent:0.#}% loss, time {elapsed.TotalMilliseconds:0} ms"));
                if (statistics.Received > 0)
                {
                    output.WriteLine($"rtt min/avg/max/mdev = {Ms(statistics.Min)}/{Ms(statistics.Average)}/{Ms(statistics.Max)}/{Ms(statistics.MeanDeviation)} ms");
                }
            }

            // As ping: success when anything answered.
            return statistics.Received > 0 ? ExitCode.Success : ExitCode.Failure;
        });
        return command;
    }

    private static async Task<Probe> EchoAsync(IPAddress address, int seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await IcmpEcho.SendAsync(address, timeout, cancellationToken);
        // The ICMP status in the same kebab-case as the TCP states ("timed-out", "destination-host-unreachable").
        var status = reply.Succeeded ? "reply" : JsonNamingPolicy.KebabCaseLower.ConvertName(reply.Status.ToString());
        return new Probe(seq, reply.Succeeded, status, reply.RoundTrip, reply.Ttl);
    }

    private static async Task<Probe> ConnectAsync(IPEndPoint endPoint, int seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await TcpProbe.ConnectAsync(endPoint, timeout, cancellationToken);
        return new Probe(seq, result.Outcome == ProbeOutcome.Open, ScanCommand.StateName(result), result.Elapsed, null);
    }

    private static string Describe(Probe probe, IPAddress address, int? tcpPort)
    {
        var from = tcpPort is null ? address.ToString() : new IPEndPoint(address, tcpPort.Value).ToString();
        var ttl = probe.Ttl is { } t ? string.Create(CultureInfo.InvariantCulture, $" ttl={t}") : "";
        return probe.Answered
            ? tcpPort is null
                ? $"{IcmpEcho.DefaultPayloadSize + 8} bytes from {from}: seq={probe.Sequence}{ttl} time={Ms(probe.Time)} ms"
                : $"connected to {from}: seq={probe.Sequence} time={Ms(probe.Time)} ms"
            : tcpPort is null
                ? $"no reply from {from}: seq={probe.Sequence} {Failure(probe.Status)} after {Ms(probe.Time)} ms"
                : $"{from}: {Failure(probe.Status)}, seq={probe.Sequence} time={Ms(probe.Time)} ms"; // as ping prints "Destination Port Unreachable"
    }

    // A failed probe in words: "connection refused" (RST to the SYN), "timed out" (no answer), "destination host unreachable", or the error.
    private static string Failure(string status) => status switch
    {
        "closed" => "connection refused",
        "timed-out" => "timed out",
        _ when status.StartsWith("error:", StringComparison.Ordinal) => status["error:".Length..],
        _ => status.Replace('-', ' '),
    };

    private static void WriteJson(string host, IPAddress address, string mode, int? port, List<Probe> probes, PingStatistics s, TimeSpan elapsed) =>
        JsonOutput.WriteDocument(
            new PingDocument(
                host,
                address.ToString(),
                mode,
                port,
                [.. probes.Select(p => new PingProbe(p.Sequence, p.Answered, p.Status, Math.Round(p.Time.TotalMilliseconds, 3), p.Ttl))],
                s.Sent,
                s.Received,
                Math.Round(s.LossPercent, 1),
                Math.Round(s.Min.TotalMilliseconds, 3),
                Math.Round(s.Average.TotalMilliseconds, 3),
                Math.Round(s.Max.TotalMilliseconds, 3),
                Math.Round(s.MeanDeviation.TotalMilliseconds, 3),
                Math.Round(elapsed.TotalMilliseconds)),
            SockitJson.Default.PingDocument);

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);
}
