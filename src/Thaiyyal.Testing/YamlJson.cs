using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Thaiyyal.Testing;

/// <summary>
/// YAML test files as the same JSON tree JSON files give, through YamlDotNet's node model (no reflection, so
/// the CLI stays trimmable). Plain scalars follow the YAML core schema: null, booleans, numbers, else strings.
/// </summary>
internal static class YamlJson
{
    public static JsonNode? Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0) return null;
        return ToJson(stream.Documents[0].RootNode);
    }

    public static string Write(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlDotNet ends a document with "...": valid, but noise in a hand-written file.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text.Replace("...\r\n", "", StringComparison.Ordinal);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new YamlException(node.Start, node.End, "aliases are not supported in test files"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name }) throw new YamlException(key.Start, key.End, "mapping keys must be plain strings");
            if (obj.ContainsKey(name)) throw new YamlException(key.Start, key.End, $"duplicate key '{name}'");
            obj[name] = ToJson(value);
        }
        return obj;
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    private static bool LooksNumeric(string text) => text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.');

    private static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new YamlScalarNode("null") { Style = ScalarStyle.Plain };
            case JsonObject obj:
                var mapping = new YamlMappingNode();
                foreach (var (key, value) in obj) mapping.Add(new YamlScalarNode(key), ToYaml(value));
                return mapping;
            case JsonArray array:
                var sequence = new YamlSequenceNode();
                foreach (var item in array) sequence.Add(ToYaml(item));
                return sequence;
            default:
                if (node.GetValueKind() == JsonValueKind.String)
                {
                    var text = node.GetValue<string>();
                    return new YamlScalarNode(text) { Style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
                }
                return new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain };
        }
    }

    /// <summary>A string that would read back as another type (or not at all) when written plain.</summary>
    private static bool NeedsQuotes(string text) =>
        ToScalar(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is not JsonValue v || v.GetValueKind() != JsonValueKind.String || text.Length == 0;
}
