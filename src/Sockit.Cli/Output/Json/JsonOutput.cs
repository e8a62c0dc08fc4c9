using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sockit.Cli.Output.Json;

/// <summary>
/// Writes the <c>--json</c> documents to stdout: one indented document, or one compact line per document (NDJSON) for a
/// command that reports as it goes (<c>receive</c>: a line per session). The relaxed encoder keeps <c>'</c> and non-ASCII
/// readable (the output is a terminal or a pipe, never HTML); control characters are still escaped.
/// </summary>
internal static class JsonOutput
{
    private static readonly Lock s_stdout = new();

    /// <summary>Writes <paramref name="value"/> as one indented document and a newline.</summary>
    public static void WriteDocument<T>(T value, JsonTypeInfo<T> type) => Write(value, type, indented: true);

    /// <summary>Writes <paramref name="value"/> as one line (NDJSON); safe to call from several sessions at once.</summary>
    public static void WriteLine<T>(T value, JsonTypeInfo<T> type) => Write(value, type, indented: false);

    private static void Write<T>(T value, JsonTypeInfo<T> type, bool indented)
    {
        lock (s_stdout)
        {
            Console.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            Serialize(stdout, value, type, indented);
            stdout.Write("\n"u8);
            stdout.Flush();
        }
    }

    private static void Serialize<T>(Stream stream, T value, JsonTypeInfo<T> type, bool indented)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(writer, value, type);
    }
}
