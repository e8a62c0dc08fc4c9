using System.CommandLine;
using System.Globalization;
using Sockit.Lessons;

namespace Sockit.Cli.Commands.Lessons;

/// <summary><c>sockit demo tcp-vs-udp</c>.</summary>
internal static class TransportDemos
{
    public static Command CreateTcpVersusUdp()
    {
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "tcp-vs-udp",
            "TCP and UDP side by side on 127.0.0.1, measured: a handshake before the first byte or none; message boundaries glued (TCP) or kept (UDP); a burst into a small receive buffer that nobody reads yet: UDP drops and the kernel counts it, TCP holds the sender back and loses nothing.")
        {
            json,
        };
        command.WithExamples("sockit demo tcp-vs-udp", "sudo sockit demo tcp-vs-udp --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var run = await TcpVersusUdpLesson.RunAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                LessonsJson.Write(run, LessonsJsonContext.Default.TcpVersusUdpRun);
                return ExitCode.Success;
            }

            foreach (var line in Describe(run))
            {
                Console.WriteLine(line);
            }

            return ExitCode.Success;
        });
        return command;
    }

    private static IEnumerable<string> Describe(TcpVersusUdpRun r)
    {
        IFormatProvider c = CultureInfo.InvariantCulture;
        yield return $"TCP vs UDP on 127.0.0.1, measured ({(r.TcpPacketsBeforeData is null ? r.Capture : "packets captured on lo")})";
        yield return "";
        var connect = string.Create(c, $"connect() took {r.TcpConnectMicroseconds:0} µs");
        yield return r.TcpPacketsBeforeData is { } before
            ? $"connection   TCP: {before} packets before the first data byte (SYN, SYN-ACK, ACK); {connect}"
            : $"connection   TCP: {connect}: a round trip for SYN, SYN-ACK, ACK (run as root to see the packets)";
        yield return r.UdpPacketsBeforeData is { } udpBefore
            ? $"             UDP: {udpBefore} packets before the first datagram: no connection, no handshake"
            : "             UDP: no connect() at all: the first datagram is the first packet";
        yield return $"boundaries   TCP: {r.Messages} send() calls -> {r.TcpReads} recv() call{(r.TcpReads == 1 ? "" : "s")}: a byte stream, the messages glue together (粘包)";
        yield return $"             UDP: {r.Messages} sendto() calls -> {r.UdpReads} recvfrom() calls, {r.UdpIntact} intact: one datagram is one message";
        yield return $"reliability  a burst of {r.BurstCount} x {r.BurstSize} bytes at a receiver with a {r.ReceiveBufferSize}-byte receive buffer that is not reading yet";
        yield return string.Create(c, $"             TCP: {r.TcpBytesReceived} of {(long)r.BurstCount * r.BurstSize} bytes arrived{(r.TcpInOrder ? ", in order" : ", NOT in order")}; the sender was held back until the reader read (flow control): {r.TcpSenderWaitedMilliseconds:0} ms");
        yield return $"             UDP: {r.UdpReceived} of {r.BurstCount} datagrams arrived; the kernel dropped {(r.UdpKernelDrops is { } d ? d.ToString(c) : "the rest")} (its own count, /proc/net/udp) and told nobody";
    }
}
