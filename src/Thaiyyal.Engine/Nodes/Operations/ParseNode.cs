using Thaiyyal.Engine.Nodes.Operations.Parsing;

namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>parse</c>: turns text into data: JSON, CSV, TSV, YAML or XML, or detected automatically.</summary>
internal sealed class ParseNode : NodeExecutor<ParseNode.Options>
{
    private const string Supported = "AUTO, JSON, CSV, TSV, YAML, XML";

    /// <summary>The input format, upper-cased.</summary>
    public sealed record Options(string InputType);

    public override NodeDescriptor Descriptor { get; } = new("parse", NodeCategories.Operations, "Parse",
        "Parses text into structured data; AUTO detects JSON, XML, YAML, TSV or CSV.",
        [new NodeField("input_type", FieldType.String, "Format", "The text's format (any letter case).", Default: "AUTO",
            Options: ["AUTO", "JSON", "CSV", "TSV", "YAML", "XML"])])
    {
        EditorDefaults = ValueObject.Of(("input_type", "AUTO")),
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var type = data.String("input_type");
        return new(string.IsNullOrEmpty(type) ? "AUTO" : type.ToUpperInvariant());
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("parse node requires input");
        var text = InputText(context.Input);
        var limits = context.Limits;
        var type = options.InputType;
        if (type == "AUTO")
        {
            var detected = Detect(text.Trim(), limits, out var json);
            if (detected == "JSON" && json is { } document) return new(document);
            type = detected;
        }
        var parsed = type switch
        {
            "JSON" => JsonTextParser.Parse(text, limits),
            "CSV" => CsvTableParser.Parse(text, ',', limits),
            "TSV" => CsvTableParser.Parse(text, '\t', limits),
            "YAML" => YamlTextParser.Parse(text, limits),
            "XML" => XmlTextParser.Parse(text),
            _ => throw new NodeExecutionException($"unsupported input type: {type} (supported: {Supported})"),
        };
        // Every format is held to the array and string limits at every level (JSON already while reading).
        ResultSize.CheckSizes(parsed, limits);
        return new(parsed);
    }

    /// <summary>The input as text: strings as they are, containers as JSON, null as "", the rest as generic text.</summary>
    private static string InputText(Value input) => input.Kind switch
    {
        ValueKind.String => input.AsString(),
        ValueKind.Null => "",
        ValueKind.Array or ValueKind.Object => Compatibility.GoJsonText.SerializeOrGeneric(input),
        _ => Compatibility.GoValueText.ToGoString(input),
    };

    /// <summary>AUTO detection, in the original's order (nodes.md <c>parse</c>).</summary>
    internal static string Detect(string trimmed, ExecutionLimits limits, out Value? json)
    {
        json = null;
        if (trimmed.Length == 0) return "JSON";
        var first = trimmed[0];
        var last = trimmed[^1];
        if (((first == '{' && last == '}') || (first == '[' && last == ']')) && JsonTextParser.TryParseDocument(trimmed, limits, out var document))
        {
            json = document;
            return "JSON";
        }
        if (first == '<' && last == '>') return "XML";
        var lines = trimmed.Split('\n');
        if ((trimmed.Contains(":\n", StringComparison.Ordinal) || trimmed.Contains(": ", StringComparison.Ordinal))
            && lines.Length > 1
            && lines.Count(l => l.Trim().Contains(": ", StringComparison.Ordinal)) >= 2)
            return "YAML";
        if (lines.Length > 1)
        {
            var commas = lines[0].Count(c => c == ',');
            var tabs = lines[0].Count(c => c == '\t');
            if (tabs > commas && tabs > 0) return "TSV";
            if (commas > 0) return "CSV";
        }
        return "JSON";
    }
}
