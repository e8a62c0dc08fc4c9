namespace Sockit.Lessons;

/// <summary>How one server model served the same clients in <see cref="ServerModelsLesson"/>.</summary>
/// <param name="Model"><c>iterative</c>, <c>thread-per-client</c>, <c>prefork</c> or <c>async</c>.</param>
/// <param name="Total">From the first connect to the last reply.</param>
/// <param name="RequestsPerSecond">Requests answered per second over <paramref name="Total"/>.</param>
/// <param name="P99">The 99th percentile of a request's latency, send to reply, as the clients measured it
/// (the first request's wait in the accept queue included).</param>
/// <param name="MaxConcurrent">The most clients the server was serving at one moment; null where it cannot be seen (other processes).</param>
/// <param name="Why">Why the model behaves as it does.</param>
public sealed record ServerModelResult(string Model, TimeSpan Total, double RequestsPerSecond, TimeSpan P99, int? MaxConcurrent, string Why);
