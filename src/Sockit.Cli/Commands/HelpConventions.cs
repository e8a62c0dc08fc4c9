using System.CommandLine;
using System.CommandLine.Help;

namespace Sockit.Cli.Commands;

/// <summary>
/// The help's conventions, applied to every command once: placeholders in uppercase (<c>--count &lt;COUNT&gt;</c>, as
/// in man pages), and choices and their defaults in the lowercase the user types (<c>--mode &lt;stdio|echo|…&gt;</c>,
/// <c>[default: stdio]</c>), never the C# enum's spelling.
/// </summary>
internal static class HelpConventions
{
    /// <summary>Names the placeholders of <paramref name="root"/>'s arguments and options, and every command's below it.</summary>
    public static void Apply(Command root)
    {
        foreach (var option in root.Options.Where(o => o.HelpName is null && !IsFlag(o)))
        {
            option.HelpName = EnumType(option) is { } choices
                ? string.Join('|', Enum.GetNames(choices).Select(n => n.ToLowerInvariant()))
                : option.Name.TrimStart('-').ToUpperInvariant();
        }

        foreach (var argument in root.Arguments.Where(a => a.HelpName is null))
        {
            argument.HelpName = argument.Name.ToUpperInvariant();
        }

        foreach (var command in root.Subcommands)
        {
            Apply(command);
        }
    }

    /// <summary>
    /// <paramref name="help"/> (the standard help of <paramref name="command"/>) with the defaults of its choice options
    /// in lowercase: System.CommandLine prints an enum default as C# spells it (<c>[default: Stdio]</c>).
    /// </summary>
    public static string LowercaseChoiceDefaults(Command command, string help)
    {
        foreach (var option in command.Options.Where(o => o.HasDefaultValue && EnumType(o) is not null))
        {
            var shown = $"[default: {option.GetDefaultValue()}]";
            help = help.Replace(shown, shown.ToLowerInvariant(), StringComparison.Ordinal);
        }

        return help;
    }

    private static Type? EnumType(Option option) =>
        (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) is { IsEnum: true } type ? type : null;

    private static bool IsFlag(Option option) => option.ValueType == typeof(bool) || option is HelpOption or VersionOption;
}
