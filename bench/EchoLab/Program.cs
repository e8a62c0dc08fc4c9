// EchoLab: `sockit listen --mode echo` with the TCP loops' settings on the command line, so their effect can be
// measured without editing src/Sockit/Tcp. Prints "listening on 127.0.0.1:PORT"; stops on Ctrl-C or SIGTERM.
//   EchoLab FRAMING [receive-size BYTES] [output-pause BYTES] [echo frames|copy]
// echo copy: CopyThroughEcho (validate frames, write the bytes of all whole frames of a read back at once).
using System.Globalization;
using System.Net;
using EchoLab;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Connections;

var spec = FrameSpec.Parse(args.Length > 0 ? args[0] : "raw");
var connection = ConnectionOptions.Default;
var copy = false;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "receive-size":
            connection = connection with { MinimumReceiveSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture) };
            break;
        case "output-pause":
            connection = connection with { OutputPauseThreshold = int.Parse(args[i + 1], CultureInfo.InvariantCulture) };
            break;
        case "echo":
            copy = args[i + 1] == "copy";
            break;
        default:
            throw new ArgumentException($"unknown setting {args[i]}");
    }
}

var options = new SocketServerOptions
{
    EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
    IdleTimeout = Timeout.InfiniteTimeSpan,
    Connection = connection,
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
IConnectionHandler handler = copy ? new CopyThroughEcho(spec) : new EchoService(spec);
await using var server = new SocketServer(options, handler, logger: null);
server.Start();
Console.WriteLine($"listening on 127.0.0.1:{server.LocalEndPoint.Port} ({spec}, receive size {connection.MinimumReceiveSize}, {(copy ? "copy-through" : "frame by frame")} echo)");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await server.StopAsync();
