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
        // The standard help is written to a buffer first, so the choices' defaults can be shown in lowercase.
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        var standard = new StringWriter();
        int code;
        configuration.Output = standard;
        try
        {
            code = standardHelp.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }

        var command = parseResult.CommandResult.Command;
        output.Write(HelpConventions.LowercaseChoiceDefaults(command, standard.ToString()));
        if (CommandExamples.Of(command) is { } examples)
        {
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
