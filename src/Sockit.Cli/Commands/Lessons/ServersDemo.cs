using System.CommandLine;
using System.Globalization;
using Sockit.Cli.Options;
using Sockit.Lessons;

namespace Sockit.Cli.Commands.Lessons;

/// <summary><c>sockit demo servers</c>, and the hidden <c>demo prefork-worker</c> its prefork model starts.</summary>
internal static class ServersDemo
{
    private const string WorkerName = "prefork-worker";

    public static Command Create()
    {
        var clients = new Option<int>("--clients", "-n") { Description = "Clients connecting at once (1 to 64).", HelpName = "N", DefaultValueFactory = _ => 8 };
        var requests = new Option<int>("--requests", "-m") { Description = "Requests per client, one after another (1 to 1000).", HelpName = "M", DefaultValueFactory = _ => 5 };
        var delay = new Option<string>("--delay") { Description = "The server's work per request (0 to 1s).", HelpName = "T", DefaultValueFactory = _ => "10ms" };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "servers",
            "The same clients (N at once, M requests each, a short server-side delay per request) against an iterative loop server, a thread per client, pre-forked worker processes sharing the port (SO_REUSEPORT; .NET cannot fork, so they are fresh processes) and an async server: total time, requests/s, p99 latency, and why.")
        {
            clients, requests, delay, json,
        };
        command.WithExamples("sockit demo servers", "sockit demo servers --clients 16 --requests 3 --delay 20ms --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var options = new ServerModelsOptions
            {
                Clients = InRange(parseResult.GetValue(clients), 1, 64, "--clients"),
                Requests = InRange(parseResult.GetValue(requests), 1, 1000, "--requests"),
                Delay = Duration.Parse(parseResult.GetValue(delay)!, "--delay") is var d && d <= TimeSpan.FromSeconds(1)
                    ? d
                    : throw new UsageException($"--delay: '{parseResult.GetValue(delay)}' is out of range (0 to 1s)"),
                WorkerCommand = WorkerCommand(),
            };
            var results = await ServerModelsLesson.RunAsync(options, cancellationToken);
            if (parseResult.GetValue(json))
            {
                LessonsJson.Write(new ServersDocument(options.Clients, options.Requests, options.Delay.TotalMilliseconds, [.. results.Select(ServerModelRow.From)]), LessonsJsonContext.Default.ServersDocument);
                return ExitCode.Success;
            }

            Print(options, results);
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>The hidden worker: <c>sockit demo prefork-worker PORT DELAY_MS</c>; serves until its stdin ends.</summary>
    public static Command CreateWorker()
    {
        var port = new Argument<int>("PORT");
        var delayMs = new Argument<int>("DELAY_MS");
        var command = new Command(WorkerName, "A pre-forked worker of demo servers (started by it).") { port, delayMs };
        command.Hidden = true;
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            using var stdinClosed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watch = Task.Run(async () =>
            {
                await Console.OpenStandardInput().CopyToAsync(Stream.Null, stdinClosed.Token);
                await stdinClosed.CancelAsync();
            }, stdinClosed.Token);
            await ServerModelsLesson.RunWorkerAsync(parseResult.GetValue(port), TimeSpan.FromMilliseconds(parseResult.GetValue(delayMs)), Console.Out, stdinClosed.Token);
            return ExitCode.Success;
        });
        return command;
    }

    private static List<string> WorkerCommand()
    {
        // The running sockit again: the native executable or apphost, or `dotnet Sockit.Cli.dll` under dotnet.
        var path = Environment.ProcessPath!;
        var command = Path.GetFileNameWithoutExtension(path) == "dotnet" ? new List<string> { path, Environment.GetCommandLineArgs()[0] } : [path];
        command.AddRange(["demo", WorkerName]);
        return command;
    }

    private static int InRange(int value, int min, int max, string option) =>
        value >= min && value <= max ? value : throw new UsageException($"{option}: '{value}' is out of range ({min} to {max})");

    private static void Print(ServerModelsOptions options, IReadOnlyList<ServerModelResult> results)
    {
        IFormatProvider c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{options.Clients} clients at once, {options.Requests} requests each, {options.Delay.TotalMilliseconds:0.#} ms of server work per request, on 127.0.0.1"));
        Console.WriteLine();
        Console.WriteLine($"{"model",-18} {"total",10} {"requests/s",11} {"p99",10}  {"served at once",14}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(c, $"{r.Model,-18} {r.Total.TotalMilliseconds,7:0} ms {r.RequestsPerSecond,11:0} {r.P99.TotalMilliseconds,7:0} ms  {(r.MaxConcurrent is { } m ? m.ToString(c) : "-"),14}"));
        }

        Console.WriteLine();
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Model}: {r.Why}");
        }
    }
}

/// <summary>One model's row in the <c>--json</c> document of <c>demo servers</c>; times in milliseconds.</summary>
internal sealed record ServerModelRow(string Model, double TotalMs, double RequestsPerSecond, double P99Ms, int? MaxConcurrent, string Why)
{
    public static ServerModelRow From(ServerModelResult r) =>
        new(r.Model, Math.Round(r.Total.TotalMilliseconds, 3), Math.Round(r.RequestsPerSecond, 1), Math.Round(r.P99.TotalMilliseconds, 3), r.MaxConcurrent, r.Why);
}

/// <summary>The <c>--json</c> document of <c>demo servers</c>.</summary>
internal sealed record ServersDocument(int Clients, int Requests, double DelayMs, IReadOnlyList<ServerModelRow> Models);
