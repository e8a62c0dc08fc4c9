using System.Text.Json.Serialization;

namespace Sockit.Cli.Output.Json;

/// <summary>
/// Every <c>--json</c> document the CLI prints, serialized by System.Text.Json source generation (no reflection, so it
/// works in the Native AOT build). Property names are camelCase. A property that can be null is written as
/// <c>null</c> ("applies here, but unknown": a port with no registered service) unless the record marks it
/// <see cref="JsonIgnoreCondition.WhenWritingNull"/> ("does not apply to this run": <c>ttl</c> on a TCP ping), then
/// it is left out. Indentation is chosen per write by <see cref="JsonOutput"/>. The schema is documented in <c>docs/json.md</c>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HostDocument))]
[JsonSerializable(typeof(IpConversionDocument))]
[JsonSerializable(typeof(IpInfoDocument))]
[JsonSerializable(typeof(PortDocument))]
[JsonSerializable(typeof(ResolveDocument))]
[JsonSerializable(typeof(PingDocument))]
[JsonSerializable(typeof(ScanDocument))]
[JsonSerializable(typeof(BenchDocument))]
[JsonSerializable(typeof(TransferDocument))]
internal sealed partial class SockitJson : JsonSerializerContext;
