using System.CommandLine;
using Sockit.Cli.Options;
using Sockit.Cli.Output;
using Sockit.Cli.Output.Json;
using Sockit.Connections;
using Sockit.Files;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit send TARGET PATH...</c>: files and directory trees to a <c>sockit receive</c>, each verified by SHA-256
/// (<c>docs/protocol.md</c>); with <c>--raw</c>, one file's plain bytes then FIN, for <c>nc -l</c>.
/// </summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("TARGET") { Description = "The receiver: HOST:PORT, [::1]:PORT, tls://HOST:PORT, unix:/path/to.sock" };
        var paths = new Argument<string[]>("PATH") { Description = "Files and directories to send (a directory is sent whole, under its own name)", Arity = ArgumentArity.OneOrMore };
        var resume = new Option<bool>("--resume") { Description = "Continue files an earlier, interrupted transfer left partial, after both sides agree on the SHA-256 of what is there" };
        var raw = new Option<bool>("--raw") { Description = "No protocol: send one file's bytes, then FIN (for 'nc -l PORT > file' or 'sockit receive --raw')" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout: totals and every file not verified" };
        var timeout = new Option<string>("--timeout") { Description = "Connect timeout", DefaultValueFactory = _ => "10s", HelpName = "T" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print a line per verified file and narrate the connection" };
        var tls = new TlsOptions();
        var command = new Command("send", "Send files and directory trees to 'sockit receive': verified with SHA-256, resumable; or with --raw one file to plain nc.")
        {
            target, paths, resume, raw, json, timeout, verbose,
        };
        command.WithExamples(
            "sockit send 127.0.0.1:7000 report.pdf",
            "sockit send backup-host:7000 ./photos ./notes.txt",
            "sockit send 127.0.0.1:7000 big.iso --resume",
            "sockit send tls://backup-host:7000 ./photos --pin sha256:AB12...",
            "sockit send 127.0.0.1:7000 big.iso --raw    # to: nc -l 7000 > big.iso");
        tls.AddToConnect(command);
        command.SetRun(async (result, cancellationToken) =>
        {
            ThreadPoolSpin.Disable();
            var given = result.GetValue(target)!;
            var where = tls.Apply(result, ConnectionEndpoint.Parse(given));
            if (!where.IsUnix && (where.Host.IsAnyAddress || where.Host.Port == 0))
            {
                throw new UsageException($"'{given}' is not a receiver address: give a host and a non-zero port (HOST:PORT)");
            }

            var sources = result.GetValue(paths)!;
            if (SendTree.CheckArguments(sources) is { } missing)
            {
                throw new UsageException(missing);
            }

            var isRaw = result.GetValue(raw);
            if (isRaw && (sources.Length != 1 || !File.Exists(sources[0]) || result.GetValue(resume)))
            {
                throw new UsageException("--raw sends exactly one file (no directory, no --resume): the bytes carry no name, no size and no hash");
            }

            var connectTimeout = Duration.ParseTimeout(result.GetValue(timeout)!, "--timeout");
            var jsonOutput = result.GetValue(json);
            var verboseOutput = result.GetValue(verbose);
            var logger = new StderrLogger(verboseOutput, Microsoft.Extensions.Logging.LogLevel.Error);
            var clientTls = where.UseTls ? tls.Client(result) : null;
            var progress = new TransferProgress();
            var problems = new List<FileOutcome>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TransferProgressBar? bar = null;
            TransferSummary summary;
            string? sha256 = null;
            try
            {
                var connection = await SocketConnector.ConnectAsync(
                    where, connectTimeout, FileTransferProtocol.ConnectionOptions, clientTls, logger, cancellationToken: cancellationToken);
                bar = Console.IsErrorRedirected || jsonOutput ? null : TransferProgressBar.Start(progress);
                if (isRaw)
                {
                    var (outcome, hash, elapsed) = await RawFileSender.SendAsync(connection, sources[0], progress, cancellationToken);
                    (summary, sha256) = (new TransferSummary(1, 0, 0, outcome.Bytes, elapsed, null), hash);
                }
                else
                {
                    if (bar is not null)
                    {
                        (progress.TotalEntries, progress.TotalBytes) = SendTree.Measure(sources);
                    }

                    var sender = new FileSender(new FileSenderOptions
                    {
                        Resume = result.GetValue(resume),
                        Progress = progress,
                        OnEntry = outcome =>
                        {
                            if (!outcome.IsVerified)
                            {
                                problems.Add(outcome);
                            }

                            if (!outcome.IsVerified || verboseOutput)
                            {
                                var line = "sockit: " + TransferReport.EntryLine(outcome).ReplaceLineEndings(" ");
                                if (bar is null)
                                {
                                    Console.Error.WriteLine(line);
                                }
                                else
                                {
                                    bar.WriteLine(line); // above the live bar
                                }
                            }
                        },
                    });
                    summary = await sender.SendAsync(connection, SendTree.Walk(sources, result.GetValue(resume), sender.ReportLeftOut), cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not (UsageException or FormatException or ArgumentException))
            {
                // Refused, unreachable, a TLS failure, Ctrl-C before the transfer began, a raw transfer cut: still
                // the summary line and the JSON document, and never exit 0 (`send ... && rm file` must not lose data).
                var error = cancellationToken.IsCancellationRequested ? FileSender.Interrupted : CommandRunner.Describe(ex);
                summary = new TransferSummary(0, isRaw ? 1 : 0, 0, progress.Bytes, clock.Elapsed, error);
            }
            finally
            {
                bar?.Dispose();
            }

            Console.Error.WriteLine("sockit: " + (isRaw ? TransferReport.RawSummaryLine("sent", summary, Path.GetFileName(sources[0]), sha256) : TransferReport.SummaryLine("sent", summary)));
            if (jsonOutput)
            {
                JsonOutput.WriteDocument(TransferDocument.From(summary, problems, sha256: sha256), SockitJson.Default.TransferDocument);
            }

            return summary.Succeeded ? ExitCode.Success : ExitCode.Failure;
        });
        return command;
    }
}
