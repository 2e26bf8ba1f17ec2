using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;
using YamlDotNet.Core;

namespace Thaiyyal.Testing;

/// <summary>
/// Decodes <c>*.thaiyyal-test.json</c> and <c>*.thaiyyal-test.yaml</c>/<c>.yml</c> files. Every problem is a
/// <see cref="TestFileException"/> naming the file, the case and the field; unknown keys are problems too, so a
/// misspelt <c>expect</c> cannot silently check nothing.
/// </summary>
public static class TestFileReader
{
    /// <summary>File name endings the runner picks up.</summary>
    public static IReadOnlyList<string> Suffixes { get; } = [".thaiyyal-test.json", ".thaiyyal-test.yaml", ".thaiyyal-test.yml"];

    /// <summary>What <c>now()</c> reads when a test does not say: fixed, so tests never depend on the day they run.</summary>
    public static DateTimeOffset DefaultNow { get; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] FileKeys = ["workflow", "name", "now", "seed", "cases"];
    private static readonly string[] CaseKeys = ["name", "set", "pin", "pin_iterations", "now", "seed", "expect", "assert"];

    public static bool IsTestFile(string path) => Suffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    public static TestFileFormat FormatOf(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? TestFileFormat.Json : TestFileFormat.Yaml;

    public static async Task<WorkflowTestFile> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TestFileException(path, null, "file", $"cannot read: {ex.Message}");
        }
        return Parse(path, text, FormatOf(path));
    }

    /// <summary>
    /// How a JSON test file is read (a file or a request body): comments and trailing commas allowed, a key given twice
    /// in one object refused (it is a mistake, and <see cref="JsonObject"/> would fail on it at first use).
    /// </summary>
    public static JsonDocumentOptions JsonFileOptions { get; } =
        new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };

    /// <summary>Decodes a test file's text; <paramref name="path"/> names it in errors.</summary>
    public static WorkflowTestFile Parse(string path, string text, TestFileFormat format)
    {
        JsonNode? root;
        try
        {
            root = format == TestFileFormat.Json
                ? JsonNode.Parse(text, documentOptions: JsonFileOptions)
                : YamlJson.Read(text);
        }
        catch (JsonException ex)
        {
            throw new TestFileException(path, null, "file", $"invalid JSON: {ex.Message}");
        }
        catch (YamlException ex)
        {
            throw new TestFileException(path, null, "file", $"invalid YAML at line {ex.Start.Line}: {ex.Message}");
        }
        catch (Exception ex) when (format != TestFileFormat.Json && ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed input this way instead of with a YamlException (an event it does not
            // expect, a tag that is not a URI).
            throw new TestFileException(path, null, "file", $"invalid YAML: {ex.Message}");
        }
        if (root is not JsonObject document) throw new TestFileException(path, null, "file", "must be an object with 'workflow' and 'cases'");
        return Decode(path, format, document);
    }

    /// <summary>Decodes an already parsed test document (the server's request body).</summary>
    public static WorkflowTestFile Decode(string path, TestFileFormat format, JsonObject document)
    {
        RejectUnknown(path, null, "", document, FileKeys);
        var workflow = document["workflow"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 => new WorkflowReference(v.GetValue<string>(), null),
            JsonObject inline => new WorkflowReference(null, inline),
            null => throw new TestFileException(path, null, "workflow", "missing: give a workflow file path (or a stored workflow id on a server) or the workflow itself"),
            _ => throw new TestFileException(path, null, "workflow", "must be a non-empty string or a workflow object"),
        };
        var fileNow = ReadNow(path, null, document["now"]) ?? DefaultNow;
        var fileSeed = ReadSeed(path, null, document["seed"]) ?? 0;
        if (document["cases"] is not JsonArray { Count: > 0 } cases) throw new TestFileException(path, null, "cases", "must be a non-empty array");
        var decoded = new List<WorkflowTestCase>(cases.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            var location = $"cases[{i}]";
            if (cases[i] is not JsonObject c) throw new TestFileException(path, location, "case", "must be an object");
            WorkflowTestCase testCase;
            try
            {
                testCase = DecodeCase(path, location, i, c, fileNow, fileSeed);
            }
            catch (JsonException ex)
            {
                // A value the engine cannot hold (a number out of range, 1e999).
                throw new TestFileException(path, location, "value", ex.Message);
            }
            if (!names.Add(testCase.Name)) throw new TestFileException(path, location, "name", $"'{testCase.Name}' is used by an earlier case");
            decoded.Add(testCase);
        }
        return new WorkflowTestFile(path, format, workflow, decoded, document);
    }

    private static WorkflowTestCase DecodeCase(string path, string location, int index, JsonObject c, DateTimeOffset fileNow, int fileSeed)
    {
        RejectUnknown(path, location, "", c, CaseKeys);
        var name = c["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && n.GetValue<string>().Trim().Length > 0
            ? n.GetValue<string>()
            : throw new TestFileException(path, location, "name", "must be a non-empty string");
        location = $"{location} \"{name}\"";
        var set = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (id, data) in Object(path, location, "set", c["set"]))
        {
            set[id] = data as JsonObject ?? throw new TestFileException(path, location, $"set.{id}", "must be an object of data fields");
        }
        var pin = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (id, value) in Object(path, location, "pin", c["pin"]))
        {
            pin[id] = ToValue(value);
        }
        var pinIterations = new Dictionary<string, IReadOnlyList<Value>>(StringComparer.Ordinal);
        foreach (var (id, runs) in Object(path, location, "pin_iterations", c["pin_iterations"]))
        {
            if (runs is not JsonArray list) throw new TestFileException(path, location, $"pin_iterations.{id}", "must be an array with the node's result in each loop iteration");
            if (pin.ContainsKey(id)) throw new TestFileException(path, location, $"pin_iterations.{id}", "the node is already in pin; pin it one way");
            pinIterations[id] = list.Select(ToValue).ToArray();
        }
        return new WorkflowTestCase(
            index,
            name,
            set,
            pin,
            pinIterations,
            ReadNow(path, location, c["now"]) ?? fileNow,
            ReadSeed(path, location, c["seed"]) ?? fileSeed,
            DecodeExpect(path, location, c["expect"]),
            DecodeAssert(path, location, c["assert"]));
    }

    private static CaseExpectations DecodeExpect(string path, string location, JsonNode? node)
    {
        if (node is null) return CaseExpectations.None;
        var nodes = new List<NodeExpectation>();
        Value? finalOutput = null;
        List<string>? skipped = null;
        string? errorContains = null;
        foreach (var (key, value) in Object(path, location, "expect", node))
        {
            var field = $"expect.{key}";
            switch (key)
            {
                case "final_output":
                    finalOutput = ToValue(value);
                    break;
                case "skipped":
                    skipped = value is JsonArray ids && ids.All(IsNonEmptyString)
                        ? [.. ids.Select(x => x!.GetValue<string>())]
                        : throw new TestFileException(path, location, field, "must be an array of node ids");
                    break;
                case "error_contains":
                    errorContains = IsNonEmptyString(value) ? value!.GetValue<string>() : throw new TestFileException(path, location, field, "must be a non-empty string");
                    break;
                default:
                    if (!key.StartsWith("node.", StringComparison.Ordinal) || key.Length == 5)
                        throw new TestFileException(path, location, field, "unknown expectation (use node.<id>, final_output, skipped or error_contains)");
                    nodes.Add(new NodeExpectation(key, key[5..], ToValue(value)));
                    break;
            }
        }
        if (errorContains is not null && (finalOutput is not null || nodes.Count > 0))
            throw new TestFileException(path, location, "expect.error_contains", "a failing run has no final output or results to check; expect one or the other");
        return new CaseExpectations(nodes, finalOutput, skipped, errorContains);
    }

    private static List<ParsedExpression> DecodeAssert(string path, string location, JsonNode? node)
    {
        if (node is null) return [];
        if (node is not JsonArray items) throw new TestFileException(path, location, "assert", "must be an array of expressions");
        var parsed = new List<ParsedExpression>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (!IsNonEmptyString(items[i])) throw new TestFileException(path, location, $"assert[{i}]", "must be a non-empty expression string");
            var expression = ExpressionEngine.ParseOrError(items[i]!.GetValue<string>());
            if (expression.ParseError is { } error) throw new TestFileException(path, location, $"assert[{i}]", error.Message);
            parsed.Add(expression);
        }
        return parsed;
    }

    private static DateTimeOffset? ReadNow(string path, string? location, JsonNode? node)
    {
        if (node is null) return null;
        if (IsNonEmptyString(node) && DateTimeOffset.TryParse(node!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now))
            return now.ToUniversalTime();
        throw new TestFileException(path, location, "now", "must be an ISO 8601 date and time, e.g. \"2025-03-01T09:30:00Z\"");
    }

    private static int? ReadSeed(string path, string? location, JsonNode? node)
    {
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var seed)) return seed;
        if (node is JsonValue l && l.TryGetValue<long>(out var big) && big is >= int.MinValue and <= int.MaxValue) return (int)big;
        throw new TestFileException(path, location, "seed", "must be a whole number");
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Object(string path, string? location, string field, JsonNode? node) => node switch
    {
        null => [],
        JsonObject obj => obj,
        _ => throw new TestFileException(path, location, field, "must be an object"),
    };

    private static void RejectUnknown(string path, string? location, string prefix, JsonObject obj, string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (Array.IndexOf(known, key) < 0)
                throw new TestFileException(path, location, prefix + key, $"unknown key (expected one of: {string.Join(", ", known)})");
        }
    }

    private static bool IsNonEmptyString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0;

    /// <summary>
    /// A workflow payload as JSON nodes, read as the engine reads it: a property given twice keeps its last value
    /// (<see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> would keep both and fail on first use).
    /// Null when the text is not a JSON object; throws <see cref="JsonException"/> when it is not JSON.
    /// </summary>
    public static JsonObject? ParseWorkflow(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object ? (JsonObject)LastWins(document.RootElement)! : null;
    }

    private static JsonNode? LastWins(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject()) obj[property.Name] = LastWins(property.Value);
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(LastWins(item));
                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>A JSON tree as an engine value (numbers keep the engine's integer/float distinction).</summary>
    public static Value ToValue(JsonNode? node) => node is null ? Value.Null : ValueJson.Parse(node.ToJsonString());

    /// <summary>An engine value as a JSON tree, for writing expectations back.</summary>
    public static JsonNode? ToJson(Value value) => value.IsNull ? null : JsonNode.Parse(ValueJson.Serialize(value));
}
