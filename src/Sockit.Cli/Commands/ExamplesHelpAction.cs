using System.CommandLine;
using System.CommandLine.Invocation;

namespace Sockit.Cli.Commands;

/// <summary>The standard help, then an <c>Examples:</c> section for commands that have one (<see cref="CommandExamples"/>).</summary>
internal sealed class ExamplesHelpAction(SynchronousCommandLineAction standardHelp) : SynchronousCommandLineAction
{
    /// <summary>Like the standard help: <c>sockit ping --help</c> is help, not a missing HOST.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var code = standardHelp.Invoke(parseResult);
        if (CommandExamples.Of(parseResult.CommandResult.Command) is { } examples)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return code;
    }
}
