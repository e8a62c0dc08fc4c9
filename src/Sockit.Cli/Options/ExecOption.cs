using System.CommandLine;
using Sockit.Services;

namespace Sockit.Cli.Options;

/// <summary><c>--exec COMMAND</c> on <c>listen</c> and <c>connect</c>: a child process per connection instead of stdio or a mode.</summary>
internal sealed class ExecOption
{
    private readonly Option<string?> _exec;

    public ExecOption(string description) =>
        _exec = new Option<string?>("--exec") { Description = description, HelpName = "COMMAND" };

    public void AddTo(Command command) => command.Options.Add(_exec);

    /// <summary>
    /// The settings when <c>--exec</c> was given, else null. A blank command, or any of <paramref name="conflicting"/>
    /// given explicitly, is a usage error naming it (the bytes go to the child unframed, not to stdio or a mode).
    /// </summary>
    public ExecOptions? Get(ParseResult result, params Option[] conflicting)
    {
        var command = result.GetValue(_exec);
        if (command is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(command))
        {
            throw new UsageException("--exec: the command is empty; write e.g. --exec 'wc -c'");
        }

        if (conflicting.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } other)
        {
            throw new UsageException($"--exec runs a command per connection with the raw bytes; it does not combine with {other.Name}");
        }

        return new ExecOptions { Command = command, StandardError = Console.Error };
    }
}
