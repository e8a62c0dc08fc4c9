using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Sockit.Cli.Commands;

/// <summary>
/// Examples for a command's <c>--help</c>. System.CommandLine has no examples section, and examples written into a
/// description would also flood the parent's command list; so they are kept here and printed after the standard help.
/// </summary>
internal static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> _examples = [];

    /// <summary>Attaches example command lines to <paramref name="command"/>; returns it for chaining.</summary>
    public static Command WithExamples(this Command command, params string[] examples)
    {
        _examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>The examples attached to <paramref name="command"/>, if any.</summary>
    public static IReadOnlyList<string>? Of(Command command) => _examples.TryGetValue(command, out var examples) ? examples : null;

    /// <summary>Makes the root's <c>--help</c> print each command's examples after the standard help.</summary>
    public static void Install(Command root)
    {
        HelpConventions.Apply(root);
        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new ExamplesHelpAction((SynchronousCommandLineAction)help.Action!);
    }
}
