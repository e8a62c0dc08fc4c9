using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Output;

// Ctrl-C and SIGTERM are handled here, once, before anything else runs. System.CommandLine 2.0.0 registers its own
// handlers only after it has called the command's action, and an async action runs synchronously up to its first
// await: `listen` has bound, started and printed its listening line by then. A signal in that window found no
// handler and killed the process (exit 130/143) instead of stopping it. The first signal cancels the token every
// command gets (a server drains and exits 0); a second one is left to the default action and ends the process.
using var stopping = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

// Started with stderr closed (2>&-), fd 2 may already be a descriptor of the runtime's own: errors and logs then go
// nowhere, as with 2>/dev/null, instead of into that descriptor (the process aborted on its first error line).
if (!StandardDescriptors.IsInherited(2))
{
    Console.SetError(TextWriter.Null);
}

// Every socket is a file descriptor: take all the process may have (the soft limit up to the hard one), as servers do.
Sockit.Connections.FileDescriptorLimit.RaiseToHardLimit();

// A plain Command named "sockit" rather than RootCommand, whose name would be the assembly's (Sockit.Cli).
var root = new Command("sockit", "Sockit: TCP and UDP sockets from the command line, framed, fast and explained.")
{
    new HelpOption(),
    new VersionOption(),
    ListenCommand.Create(),
    ConnectCommand.Create(),
    ForwardCommand.Create(),
    BenchCommand.Create(),
    DemoCommand.Create(),
    TraceCommand.Create(),
    HostCommand.Create(),
    ResolveCommand.Create(),
    IpCommand.Create(),
    PortCommand.Create(),
    PingCommand.Create(),
    ScanCommand.Create(),
    SendCommand.Create(),
    ReceiveCommand.Create(),
};
CommandExamples.Install(root);

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // One line naming the bad value, exit 2: the contract for bad usage.
    CommandRunner.Error(ParseErrorText.Describe(parseResult));
    return (int)ExitCode.Usage;
}

// No ProcessTerminationTimeout: System.CommandLine must not register signal handlers of its own (see above).
return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    if (stopping.IsCancellationRequested)
    {
        return; // The second signal: the default action ends the process.
    }

    context.Cancel = true;
    stopping.Cancel();
}
