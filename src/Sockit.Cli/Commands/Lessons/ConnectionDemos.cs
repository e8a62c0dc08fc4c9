using System.CommandLine;
using Sockit.Lessons;

namespace Sockit.Cli.Commands.Lessons;

/// <summary><c>sockit demo handshake</c> and <c>sockit demo close [--reset]</c>.</summary>
internal static class ConnectionDemos
{
    public static Command CreateHandshake()
    {
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "handshake",
            "The three-way handshake (三次握手): a server and a client in this process over 127.0.0.1; each socket call (socket, bind, listen, connect, accept, send, recv, close) with both sockets' TCP states read from the kernel, and the segments it caused when capture is allowed (CAP_NET_RAW).")
        {
            json,
        };
        command.WithExamples("sockit demo handshake", "sudo sockit demo handshake --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var run = await HandshakeLesson.RunAsync(cancellationToken);
            Print(parseResult.GetValue(json), "handshake", "The three-way handshake (三次握手): SYN, SYN-ACK, ACK, made by connect() and answered by the kernel", run);
            return ExitCode.Success;
        });
        return command;
    }

    public static Command CreateClose()
    {
        var reset = new Option<bool>("--reset") { Description = "Close with unread data instead: the kernel sends RST, not FIN." };
        var json = FactsOutput.CreateJsonOption();
        var command = new Command(
            "close",
            "The four-way close (四次挥手): FIN, ACK, FIN, ACK with FIN_WAIT_1/2, CLOSE_WAIT, LAST_ACK and TIME_WAIT as the kernel reports them, recv returning empty on the passive side, and what a send to a peer that has gone does (BrokenPipeError). --reset: closing with unread data sends RST.")
        {
            reset, json,
        };
        command.WithExamples("sockit demo close", "sockit demo close --reset", "sudo sockit demo close --json");
        command.SetRun(async (parseResult, cancellationToken) =>
        {
            var abort = parseResult.GetValue(reset);
            var run = await CloseLesson.RunAsync(abort, cancellationToken);
            Print(
                parseResult.GetValue(json),
                abort ? "close --reset" : "close",
                abort
                    ? "An abortive close: close() with unread data sends RST instead of FIN"
                    : "The four-way close (四次挥手): each side sends its own FIN and acknowledges the other's",
                run);
            return ExitCode.Success;
        });
        return command;
    }

    private static void Print(bool json, string lesson, string title, LessonRun run)
    {
        if (json)
        {
            LessonsJson.Write(new LessonDocument(lesson, run.Capture, run.Steps, run.Segments), LessonsJsonContext.Default.LessonDocument);
        }
        else
        {
            LessonPrinter.Print(title, run);
        }
    }
}
