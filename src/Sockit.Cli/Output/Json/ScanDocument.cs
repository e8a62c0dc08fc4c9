namespace Sockit.Cli.Output.Json;

/// <summary><c>sockit scan HOST PORTS --json</c>: the state of each port.</summary>
/// <param name="Host">The host as given.</param>
/// <param name="Address">The address scanned.</param>
/// <param name="ElapsedMs">The whole scan, ms, one decimal.</param>
/// <param name="Ports">Each port scanned (only the open ones with <c>--open</c>), in ascending order, each once.</param>
internal sealed record ScanDocument(string Host, string Address, double ElapsedMs, IReadOnlyList<ScannedPort> Ports);

/// <summary>One port of <see cref="ScanDocument"/>.</summary>
/// <param name="Port">The port number.</param>
/// <param name="State"><c>open</c>, <c>closed</c> (refused), <c>timed-out</c>, or <c>error:</c> and the socket error.</param>
/// <param name="Service">The TCP service registered for the port, null when none is.</param>
/// <param name="TimeMs">How long the connect took to succeed or fail, ms.</param>
internal sealed record ScannedPort(int Port, string State, string? Service, double TimeMs);
