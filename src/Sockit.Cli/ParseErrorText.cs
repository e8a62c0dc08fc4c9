using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sockit.Cli;

/// <summary>
/// The one line for a command line that does not parse, in the words the user types: a bad choice lists the valid
/// ones in lowercase, a bad number says "a whole number", and no .NET type is named (System.CommandLine's own text
/// says "as expected type 'System.Int32'"). It ends by pointing to the command's own help.
/// </summary>
internal static class ParseErrorText
{
    /// <summary>The line for the most specific of <paramref name="parseResult"/>'s errors (it has at least one).</summary>
    public static string Describe(ParseResult parseResult)
    {
        // An unrecognized or unparsable token is the most specific thing to say: it wins over "required command was
        // not provided".
        var error = parseResult.Errors.FirstOrDefault(e => e.Message.Contains('\'', StringComparison.Ordinal)) ?? parseResult.Errors[0];
        var path = CommandPath(parseResult.CommandResult);
        if (error.SymbolResult is not OptionResult && MissingArguments(parseResult.CommandResult) is { Count: > 0 } missing)
        {
            // System.CommandLine says "Required argument missing for command: 'send'", naming none of them.
            return $"missing {string.Join(" and ", missing)} (usage: {path} {Synopsis(parseResult.CommandResult.Command)}; see '{path} --help')";
        }

        return $"{Explain(error)} (see '{path} --help')";
    }

    /// <summary>The names of the command's required arguments that got fewer values than they need (<c>TARGET</c>, <c>PATH</c>).</summary>
    private static List<string> MissingArguments(CommandResult command) =>
        [.. command.Command.Arguments
            .Where(a => !a.Hidden && a.Arity.MinimumNumberOfValues > 0
                && (command.GetResult(a)?.Tokens.Count ?? 0) < a.Arity.MinimumNumberOfValues)
            .Select(a => a.Name)];

    /// <summary>The arguments as the help's usage line shows them: <c>TARGET PATH... [options]</c>, optional ones in brackets.</summary>
    private static string Synopsis(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(a =>
            (a.Arity.MinimumNumberOfValues == 0 ? "[" : "") + a.Name + (a.Arity.MaximumNumberOfValues > 1 ? "..." : "") + (a.Arity.MinimumNumberOfValues == 0 ? "]" : "")))
        + (command.Options.Any(o => !o.Hidden) ? " [options]" : "");

    private static string Explain(ParseError error)
    {
        (string Name, IReadOnlyList<Token> Tokens, Type Type)? failed = error.SymbolResult switch
        {
            OptionResult option => (option.Option.Name, option.Tokens, option.Option.ValueType),
            ArgumentResult { Parent: OptionResult option } argument => (option.Option.Name, argument.Tokens, argument.Argument.ValueType),
            ArgumentResult argument => ($"<{argument.Argument.Name.ToUpperInvariant()}>", argument.Tokens, argument.Argument.ValueType),
            _ => null,
        };
        if (failed is not { Tokens.Count: > 0 } || !error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            return error.Message;
        }

        var (name, tokens, valueType) = failed.Value;
        var given = tokens[^1].Value;
        var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
        type = type.IsArray ? type.GetElementType()! : type;
        if (type.IsEnum)
        {
            return $"'{given}' is not a valid {name}: use {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => $"{name} takes a whole number, not '{given}'",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => $"{name} takes a number, not '{given}'",
            _ => $"'{given}' is not a valid {name}",
        };
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command.Name: var name })
            {
                names.Insert(0, name);
            }
        }

        return string.Join(' ', names);
    }
}
