using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sockit.Cli.Tests.JsonDocuments;

/// <summary>The examples in docs/json.md, and the shape (every field path) of a JSON document.</summary>
internal static partial class JsonDocs
{
    private static readonly Lazy<IReadOnlyList<(string Command, string Json)>> s_examples = new(ReadExamples);

    /// <summary>The one JSON example in docs/json.md whose <c>$ sockit …</c> line starts with <paramref name="commandPrefix"/>.</summary>
    public static JsonElement Example(string commandPrefix)
    {
        var matches = s_examples.Value.Where(e => e.Command.StartsWith(commandPrefix, StringComparison.Ordinal)).ToArray();
        Assert.True(matches.Length == 1, $"docs/json.md has {matches.Length} examples for '{commandPrefix}', not 1");
        using var document = JsonDocument.Parse(matches[0].Json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Every field path of a document, sorted: <c>ports</c>, <c>ports[]</c>, <c>ports[].state</c>… (an array's element
    /// fields are the union over its elements). Two documents with the same shape have the same paths whatever their values.
    /// </summary>
    public static string[] Shape(JsonElement element)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(element, "", paths);
        return [.. paths];
    }

    /// <summary>Asserts <paramref name="actual"/> has exactly the fields of the docs/json.md example for <paramref name="commandPrefix"/>.</summary>
    public static void AssertShapeAsDocumented(string commandPrefix, JsonElement actual) =>
        Assert.Equal(Shape(Example(commandPrefix)), Shape(actual));

    private static void Walk(JsonElement element, string path, SortedSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : path + "." + property.Name;
                    paths.Add(child);
                    Walk(property.Value, child, paths);
                }

                break;
            case JsonValueKind.Array:
                paths.Add(path + "[]");
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path + "[]", paths);
                }

                break;
        }
    }

    private static IReadOnlyList<(string, string)> ReadExamples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "docs", "json.md")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var text = File.ReadAllText(Path.Join(dir.FullName, "docs", "json.md"));
        return [.. ExampleBlock().Matches(text).Select(m => (m.Groups["command"].Value, m.Groups["json"].Value))];
    }

    [GeneratedRegex(@"```console\n\$ (?<command>sockit [^\n]*)\n```\n```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
