namespace Sockit.Addressing;

/// <summary>One line of a services table: <c>smtp 25/tcp mail</c>.</summary>
/// <param name="Name">The official name (first column); what <c>getservbyport</c> returns.</param>
/// <param name="Port">The port number, 0–65535.</param>
/// <param name="Protocol">The transport the line is for.</param>
/// <param name="Aliases">Other names that also match, in file order (may be empty).</param>
public sealed record ServiceEntry(string Name, int Port, ServiceProtocol Protocol, IReadOnlyList<string> Aliases)
{
    /// <summary>True when <paramref name="name"/> is the official name or an alias, compared case-sensitively
    /// as <c>getservbyname</c> does with <c>strcmp</c>.</summary>
    public bool Answers(string name) =>
        string.Equals(Name, name, StringComparison.Ordinal) || Aliases.Contains(name, StringComparer.Ordinal);
}
