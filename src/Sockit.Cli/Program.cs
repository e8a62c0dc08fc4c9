using System.CommandLine;
using System.CommandLine.Help;
using Sockit.Cli;
using Sockit.Cli.Commands;

// Every socket is a file descriptor: take all the process may have (the soft limit up to the hard one), as servers do.
Sockit.Tcp.FileDescriptorLimit.RaiseToHardLimit();

// A plain Command named "sockit" rather than RootCommand, whose name would be the assembly's (Sockit.Cli).
var root = new Command("sockit", "Sockit: TCP and UDP sockets from the command line, framed, fast and explained.")
{
    new HelpOption(),
    new VersionOption(),
    ListenCommand.Create(),
    ConnectCommand.Create(),
    BenchCommand.Create(),
    DemoCommand.Create(),
    HostCommand.Create(),
    ResolveCommand.Create(),
    IpCommand.Create(),
    PortCommand.Create(),
    PingCommand.Create(),
    ScanCommand.Create(),
};
CommandExamples.Install(root);

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // One line naming the bad value, exit 2: the contract for bad usage. An unrecognized token is the
    // most specific thing to say, so it wins over "required command was not provided".
    var error = parseResult.Errors.FirstOrDefault(e => e.Message.Contains('\'', StringComparison.Ordinal)) ?? parseResult.Errors[0];
    CommandRunner.Error(error.Message + " (see 'sockit --help')");
    return (int)ExitCode.Usage;
}

// System.CommandLine 2.0.0 leaves ProcessTerminationTimeout unset by default, and then Ctrl-C and SIGTERM kill the
// process outright; set, they cancel the action's token. A server then drains (5 s by default) before exiting,
// and the process is forced out only if the action ignores the token for 15 s.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
