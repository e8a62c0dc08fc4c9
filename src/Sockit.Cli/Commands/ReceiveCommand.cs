using System.Collections.Concurrent;
using System.CommandLine;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Cli.Output.Json;
using Sockit.Connections;
using Sockit.Files;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit receive [HOST:]PORT --dir DIR</c>: serves file senders (<c>sockit send</c>), one after another or at once,
/// over the protocol of <c>docs/protocol.md</c>; with <c>--raw NAME</c>, one connection's plain bytes (nc) as one file.
/// </summary>
internal static class ReceiveCommand
{
    public static Command Create()
    {
        var endpoint = new Argument<string>("ENDPOINT")
        {
            Description = "Where to listen: 7000, 127.0.0.1:7000, [::1]:7000 (port 0 picks a free port), tls://:7000, unix:/path/to.sock",
        };
        var dir = new Option<string>("--dir", "-d") { Description = "The directory files are received into (must exist)", Required = true, HelpName = "DIR" };
        var once = new Option<bool>("--once") { Description = "Serve one sender, then exit (exit 0 only if every file was verified)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing files of the same name (default: refuse them)" };
        var raw = new Option<string?>("--raw")
        {
            Description = "No protocol: one connection's bytes (e.g. from nc) become the file NAME in DIR, renamed into place at the sender's FIN; implies --once",
            HelpName = "NAME",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per sender on stdout (totals and every file not verified)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print a line per verified file and narrate connections" };
        var tls = new TlsOptions();
        var operating = new ServerOptions();
        var command = new Command("receive", "Receive files and directory trees from 'sockit send' (verified with SHA-256, written atomically), or with --raw one file from plain nc.")
        {
            endpoint, dir, once, overwrite, raw, json, verbose,
        };
        command.WithExamples(
            "sockit receive 7000 --dir ./inbox",
            "sockit receive 127.0.0.1:0 --dir ./inbox --once --json",
            "sockit receive 7000 --dir ./inbox --tls",
            "sockit receive 7000 --dir ./inbox --allow 192.168.1.0/24 --idle-timeout 1m    # a sender silent 1 min is cut; send --resume finishes its file",
            "sockit receive 7000 --dir ./inbox --raw backup.tar --once    # then: nc -N HOST 7000 < backup.tar");
        operating.AddTo(command);
        tls.AddToListen(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            ThreadPoolSpin.Disable();
            var where = tls.Apply(result, ConnectionEndpoint.Parse(result.GetValue(endpoint)!));
            var directory = result.GetValue(dir)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"--dir: '{directory}' is not a directory");
            }

            var rawName = result.GetValue(raw);
            var jsonOutput = result.GetValue(json);
            var verboseOutput = result.GetValue(verbose);
            var failures = 0L;
            var problems = new ConcurrentDictionary<string, ConcurrentQueue<FileOutcome>>();
            var oneDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            RawFileReceiver? rawReceiver = null;
            IConnectionHandler handler;
            if (rawName is not null)
            {
                handler = rawReceiver = new RawFileReceiver(directory, rawName, result.GetValue(overwrite));
            }
            else
            {
                handler = new FileReceiver(new FileReceiverOptions
                {
                    Directory = directory,
                    Overwrite = result.GetValue(overwrite),
                    OnEntry = (peer, outcome) =>
                    {
                        if (!outcome.IsVerified)
                        {
                            Interlocked.Increment(ref failures);
                            problems.GetOrAdd(peer, _ => new()).Enqueue(outcome);
                            CommandRunner.Error(TransferReport.EntryLine(outcome, peer));
                        }
                        else if (verboseOutput)
                        {
                            Console.Error.WriteLine("sockit: " + TransferReport.EntryLine(outcome, peer));
                        }
                    },
                    OnSessionEnded = (peer, summary) =>
                    {
                        if (summary.Error is not null)
                        {
                            Interlocked.Increment(ref failures);
                        }

                        Console.Error.WriteLine("sockit: " + TransferReport.SummaryLine("received", summary, peer));
                        if (jsonOutput)
                        {
                            problems.TryRemove(peer, out var mine);
                            JsonOutput.WriteLine(TransferDocument.From(summary, mine ?? [], peer), SockitJson.Default.TransferDocument);
                        }
                    },
                });
            }

            var single = result.GetValue(once) || rawReceiver is not null;
            var bindTo = await operating.BindAsync(result, where, cancellationToken);

            // The frame timeout bounds the protocol's messages (64 KiB at most); a file's content is not framed and is
            // consumed as it arrives, so a sender silent mid-file is ended by the idle timeout alone (the session's
            // line then names the file, kept for --resume, and frees its name).
            var options = operating.Build(
                result,
                bindTo,
                where.UseTls ? tls.Server(result, ServerOptions.BoundAddresses(bindTo)) : null,
                FileTransferProtocol.ConnectionOptions,
                single ? 1 : null);
            await using var server = new SocketServer(options, single ? new SignalWhenDone(handler, oneDone) : handler, new StderrLogger(verboseOutput, Microsoft.Extensions.Logging.LogLevel.Error));
            server.Start();
            if (tls.SelfSignedNotice is { } notice)
            {
                Console.Error.WriteLine(notice);
            }

            ListeningLine.Write(server.LocalEndPoint, $"{(where.IsUnix ? "unix" : "tcp")}{(where.UseTls ? " with tls" : "")}, receiving {(rawReceiver is null ? "files" : $"raw bytes as '{rawReceiver.Name}'")} into {directory}");
            try
            {
                await (single ? oneDone.Task.WaitAsync(cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop serving; a transfer under way is cut, its partial file kept for --resume.
            }

            await server.StopAsync();
            ServerOptions.ReportStop(server);
            if (rawReceiver is not null)
            {
                return ReportRaw(rawReceiver, jsonOutput);
            }

            return Interlocked.Read(ref failures) == 0 && (!single || oneDone.Task.IsCompleted) ? ExitCode.Success : ExitCode.Failure;
        });
        return command;
    }

    private static ExitCode ReportRaw(RawFileReceiver receiver, bool json)
    {
        if (receiver.Outcome is not { } outcome)
        {
            return ExitCode.Failure; // stopped before anyone connected
        }

        var summary = new TransferSummary(outcome.IsVerified ? 1 : 0, outcome.IsVerified ? 0 : 1, 0, outcome.Bytes, receiver.Elapsed, null);
        if (!outcome.IsVerified)
        {
            CommandRunner.Error(TransferReport.EntryLine(outcome));
        }

        Console.Error.WriteLine("sockit: " + TransferReport.RawSummaryLine("received", summary, outcome.Name, receiver.Sha256));
        if (json)
        {
            JsonOutput.WriteLine(TransferDocument.From(summary, outcome.IsVerified ? [] : [outcome], sha256: receiver.Sha256), SockitJson.Default.TransferDocument);
        }

        return outcome.IsVerified ? ExitCode.Success : ExitCode.Failure;
    }
}
