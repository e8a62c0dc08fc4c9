// EchoLab: `sockit listen --mode echo` with the TCP loops' settings on the command line, so their effect can be
// measured without editing src/Sockit/Tcp. Prints "listening on 127.0.0.1:PORT"; stops on Ctrl-C or SIGTERM.
//   EchoLab FRAMING [receive-size BYTES] [output-pause BYTES]
using System.Globalization;
using System.Net;
using Sockit.Framing;
using Sockit.Services;
using Sockit.Tcp;

var spec = FrameSpec.Parse(args.Length > 0 ? args[0] : "raw");
var connection = TcpConnectionOptions.Default;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    connection = args[i] switch
    {
        "receive-size" => connection with { MinimumReceiveSize = value },
        "output-pause" => connection with { OutputPauseThreshold = value },
        _ => throw new ArgumentException($"unknown setting {args[i]}"),
    };
}

var options = new TcpServerOptions
{
    EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
    IdleTimeout = Timeout.InfiniteTimeSpan,
    Connection = connection,
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
await using var server = new TcpServer(options, new EchoService(spec), logger: null);
server.Start();
Console.WriteLine($"listening on 127.0.0.1:{server.LocalEndPoint.Port} ({spec}, receive size {connection.MinimumReceiveSize})");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await server.StopAsync();
