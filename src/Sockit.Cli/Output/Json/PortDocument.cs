namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit port NAME|NUMBER --json</c>: a service lookup and the port's range.</summary>
/// <param name="Port">The port number, 0-65535.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="Service">The registered service name, null when none is.</param>
/// <param name="Aliases">The service's other names; empty when none (or no service).</param>
/// <param name="Range"><c>well-known</c> (0-1023), <c>registered</c> (1024-49151) or <c>dynamic</c> (49152-65535).</param>
/// <param name="Source">Where the table came from: a file path, or <c>built-in table</c>.</param>
/// <param name="FallbackReason">Why the built-in table was used, null when the file was read.</param>
internal sealed record PortDocument(int Port, string Protocol, string? Service, IReadOnlyList<string> Aliases, string Range, string Source, string? FallbackReason);
