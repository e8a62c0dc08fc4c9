using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sockit.Capture;

namespace Sockit.Cli.Commands.Lessons;

/// <summary>The <c>--json</c> document of <c>sockit trace</c>: the segments, and the capture socket's kernel counters.</summary>
internal sealed record TraceDocument(string Interface, int? Port, IReadOnlyList<TracedSegment> Segments, long KernelReceived, long KernelDropped);

/// <summary>The <c>--json</c> document of <c>sockit demo handshake</c> and <c>demo close</c>.</summary>
internal sealed record LessonDocument(string Lesson, string Capture, IReadOnlyList<Sockit.Lessons.LessonStep> Steps, IReadOnlyList<TracedSegment> Segments);

/// <summary>Source-generated JSON for the lesson commands (trace and the demos): camelCase, enums by name, AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TraceDocument))]
[JsonSerializable(typeof(LessonDocument))]
[JsonSerializable(typeof(Sockit.Lessons.TcpVersusUdpRun))]
[JsonSerializable(typeof(Sockit.Lessons.LayersRun))]
[JsonSerializable(typeof(ServersDocument))]
internal sealed partial class LessonsJsonContext : JsonSerializerContext;

/// <summary>Writes one lesson document to stdout.</summary>
internal static class LessonsJson
{
    private static readonly JsonSerializerOptions Relaxed = new(LessonsJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="document"/> as one indented JSON document and a newline; non-ASCII stays readable.</summary>
    public static void Write<T>(T document, JsonTypeInfo<T> typeInfo)
    {
        var relaxed = (JsonTypeInfo<T>)Relaxed.GetTypeInfo(typeInfo.Type);
        Console.Out.WriteLine(JsonSerializer.Serialize(document, relaxed));
    }
}
