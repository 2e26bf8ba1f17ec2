using System.Text;
using Thaiyyal.Engine.Nodes.Operations.Formatting;

namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>format</c>: serialises its input as JSON, CSV or TSV text.</summary>
internal sealed class FormatNode : NodeExecutor<FormatNode.Options>
{
    /// <summary>The upper-cased output type and the writing options.</summary>
    public sealed record Options(string OutputType, bool PrettyPrint, bool IncludeHeaders, string Delimiter);

    public override NodeDescriptor Descriptor { get; } = new("format", NodeCategories.Operations, "Format",
        "Writes the input as JSON text, or an object or array of objects as CSV or TSV text.",
        [
            new NodeField("output_type", FieldType.String, "Format", "JSON, CSV or TSV (any letter case).", Required: true, Default: "JSON", Options: ["JSON", "CSV", "TSV"]),
            new NodeField("pretty_print", FieldType.Boolean, "Pretty", "Indent JSON by two spaces.", Default: false),
            new NodeField("include_headers", FieldType.Boolean, "Header row", "Start CSV/TSV with the column names.", Default: true),
            new NodeField("delimiter", FieldType.String, "Delimiter", "CSV field separator (its first byte).", Default: ","),
        ])
    {
        EditorDefaults = ValueObject.Of(("output_type", "JSON")),
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(
        data.RequiredString("output_type").ToUpperInvariant(),
        data.Bool("pretty_print") ?? false,
        data.Bool("include_headers") ?? true,
        data.String("delimiter") ?? ",");

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("format node requires input");
        var input = context.Input;
        return new(options.OutputType switch
        {
            "JSON" => Json(input, options.PrettyPrint),
            "CSV" => Table(input, Separator(options.Delimiter), options.IncludeHeaders),
            "TSV" => Table(input, '\t', options.IncludeHeaders),
            _ => throw new NodeExecutionException($"unsupported output type: {options.OutputType} (supported: JSON, CSV, TSV)"),
        });
    }

    private static string Json(Value input, bool pretty)
    {
        try
        {
            return Compatibility.GoJsonText.Serialize(input, pretty);
        }
        catch (Compatibility.UnsupportedJsonValueException ex)
        {
            throw new NodeExecutionException($"failed to format as JSON: {ex.Message}");
        }
    }

    // Go took the delimiter's first byte as the separator rune.
    private static char Separator(string delimiter) =>
        delimiter.Length == 0 ? ',' : (char)Encoding.UTF8.GetBytes(delimiter)[0];

    private static string Table(Value input, char separator, bool includeHeaders)
    {
        var rows = new List<ValueObject>();
        if (input.TryGetObject(out var single))
        {
            rows.Add(single);
        }
        else if (input.TryGetArray(out var array))
        {
            foreach (var element in array)
            {
                if (!element.TryGetObject(out var row))
                    throw new NodeExecutionException($"CSV formatting requires array of objects, got array element of type {element.GoTypeName}");
                rows.Add(row);
            }
        }
        else
        {
            throw new NodeExecutionException($"CSV formatting requires array of objects or single object, got {input.GoTypeName}");
        }
        if (rows.Count == 0) return "";
        if (!CsvText.IsValidSeparator(separator)) throw new NodeExecutionException("failed to format as CSV: csv: invalid field or comment delimiter");

        var headers = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var sb = new StringBuilder();
        if (includeHeaders) CsvText.AppendRecord(sb, headers, separator);
        var cells = new string[headers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < headers.Length; i++) cells[i] = CsvText.Cell(row.GetOrNull(headers[i]));
            CsvText.AppendRecord(sb, cells, separator);
        }
        return sb.ToString();
    }
}
