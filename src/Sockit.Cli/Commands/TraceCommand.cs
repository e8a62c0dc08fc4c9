using System.CommandLine;
using Sockit.Capture;
using Sockit.Cli.Commands.Lessons;
using Sockit.Cli.Output;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit trace [--port P] [-i IF] [--count N] [--write FILE.pcap] [--json]</c>: TCP segments on an interface, in the course's terms.</summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port", "-p") { Description = "Only segments to or from PORT.", HelpName = "PORT" };
        var device = new Option<string>("--interface", "-i") { Description = "The interface to capture on.", HelpName = "IF", DefaultValueFactory = _ => "lo" };
        var count = new Option<int>("--count", "-c") { Description = "Stop after N segments, 1 or more (default: until Ctrl-C).", HelpName = "N" };
        var write = new Option<string?>("--write", "-w")
        {
            Description = "Also save the segments shown to FILE in the pcap format (tcpdump -r, Wireshark), replacing it.",
            HelpName = "FILE.pcap",
        };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "trace",
            "Capture TCP segments (default on lo) and print each in the course's terms: time, endpoints, flags (SYN, SYN-ACK, ACK, PSH, FIN, RST), seq and ack relative to each side's ISN, window, payload length, and what each handshake and close step means. Needs CAP_NET_RAW (root, or setcap cap_net_raw+ep).")
        {
            port, device, count, write, json,
        };
        command.WithExamples(
            "sockit trace --port 7000",
            "sockit trace -i eth0 --port 443 --count 20",
            "sockit trace --port 7000 --write handshake.pcap    # then: tcpdump -nn -r handshake.pcap, or open it in Wireshark",
            "sockit trace --port 7000 --count 10 --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var ports = parseResult.GetValue(port) is { } p
                ? (p is >= 1 and <= 65535 ? new HashSet<int> { p } : throw new UsageException($"--port: '{p}' is not a port (1 to 65535)"))
                : null;
            var n = parseResult.GetValue(count); // 0 when --count is left out: until Ctrl-C
            if (parseResult.GetResult(count) is not null && n < 1)
            {
                // As tcpdump ("invalid packet count") and ping: -c 0 is not "forever" (leave it out for that).
                throw new UsageException($"--count: '{n}' is not a count: give 1 or more (leave --count out to trace until Ctrl-C)");
            }

            var output = FactsOutput.For(parseResult, json);
            if (output.IsJson && n == 0)
            {
                // One document holds every segment: without a count it would grow until Ctrl-C.
                throw new UsageException("--json writes one document of the segments seen: give --count N (at most N segments)");
            }

            var pcapPath = parseResult.GetValue(write);
            using var pcap = pcapPath is null ? null : CreatePcap(pcapPath);
            using var trace = StartTrace(parseResult.GetValue(device)!, ports, pcap, pcapPath);
            Console.Error.WriteLine($"sockit: tracing TCP on {trace.InterfaceName}{(ports is null ? "" : $", port {ports.First()}")}; Ctrl-C stops");
            var segments = new List<TracedSegment>();
            var shown = 0;
            var localOffset = TimeZoneInfo.Local.GetUtcOffset(DateTimeOffset.UtcNow); // once: not a time zone lookup per segment
            var lines = new TraceWriter(!output.IsJson);
            await using (lines)
            {
                try
                {
                    await foreach (var segment in trace.ReadAsync(cancellationToken))
                    {
                        shown++;
                        if (output.IsJson)
                        {
                            segments.Add(segment);
                        }
                        else if (!lines.Write(TraceText.Line(segment with { Time = segment.Time.ToOffset(localOffset) })))
                        {
                            break; // stdout's reader has gone (| head): stop quietly
                        }

                        if (shown == n)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: stop and say what was seen.
                }
                catch (IOException ex) when (pcap is not null)
                {
                    throw CannotSave(ex);
                }
            }

            try
            {
                pcap?.Flush();
            }
            catch (IOException ex)
            {
                throw CannotSave(ex);
            }

            var statistics = trace.ReadStatistics();
            if (output.IsJson)
            {
                LessonsJson.Write(new TraceDocument(trace.InterfaceName, ports?.First(), segments, statistics.Received, statistics.Dropped), LessonsJsonContext.Default.TraceDocument);
            }

            Console.Error.WriteLine($"sockit: {shown} segment(s) shown{(pcap is null ? "" : $" and saved to {pcapPath}")}; kernel: {statistics.Received} frame(s) kept by the filter{(trace.InterfaceName == "lo" ? " (on lo each packet twice: leaving and arriving)" : "")}, {statistics.Dropped} dropped because the trace fell behind");
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>A pcap file that cannot be written (disk full) ends the trace with one line and exit 1: nothing is lost silently.</summary>
    private static IOException CannotSave(IOException ex) => new($"--write: cannot save the capture: {ex.Message}", ex);

    /// <summary>The pcap file of <c>--write</c>; a path that cannot be created is bad usage, said in one line.</summary>
    private static PcapFileWriter CreatePcap(string path)
    {
        try
        {
            return PcapFileWriter.Create(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--write: cannot create '{path}': {ex.Message}");
        }
    }

    /// <summary>Starts the capture; when it cannot start (no CAP_NET_RAW, no such interface), the pcap file just made goes too.</summary>
    private static TcpTrace StartTrace(string interfaceName, HashSet<int>? ports, PcapFileWriter? pcap, string? path)
    {
        try
        {
            return TcpTrace.Start(interfaceName, ports, pcap);
        }
        catch when (pcap is not null)
        {
            pcap.Dispose();
            File.Delete(path!);
            throw;
        }
    }
}
