using System.CommandLine;
using System.Net.Sockets;

namespace Sockit.Cli;

/// <summary>
/// The one place that turns what a command throws into one line on stderr and an <see cref="ExitCode"/>.
/// Commands never print stack traces and never pick exit numbers themselves.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="action"/> as the command's action, wrapped in the error mapping.</summary>
    public static void SetRun(this Command command, Func<ParseResult, CancellationToken, Task<ExitCode>> action) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return (int)await action(parseResult, cancellationToken);
            }
            catch (Exception ex)
            {
                return (int)Report(ex, cancellationToken);
            }
        });

    /// <summary>Prints one line for <paramref name="ex"/> and says which exit code it means.</summary>
    public static ExitCode Report(Exception ex, CancellationToken cancellationToken = default)
    {
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ExitCode.Success; // Ctrl-C is how the user ends a server: not a failure.
            case UsageException or FormatException or ArgumentException or Connections.TlsConfigurationException:
                Error(Describe(ex));
                return ExitCode.Usage;
            case SocketException se:
                Error(se.Message);
                return ExitCode.Failure;
            case AggregateException { InnerExceptions.Count: 1 } ae:
                return Report(ae.InnerExceptions[0], cancellationToken);
            default:
                Error(ex.Message);
                return ExitCode.Failure;
        }
    }

    /// <summary>
    /// The message of <paramref name="ex"/> for people: an <see cref="ArgumentException"/>'s message without the
    /// <c>(Parameter 'payload')</c> that .NET appends, which names a C# parameter the user never saw.
    /// </summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex is ArgumentException { ParamName: { } name } && ex.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? ex.Message[..^$" (Parameter '{name}')".Length]
            : ex.Message;
    }

    /// <summary>Writes <c>sockit: message</c> to stderr as a single line.</summary>
    public static void Error(string message) =>
        Console.Error.WriteLine("sockit: " + message.ReplaceLineEndings(" ").Trim());
}
