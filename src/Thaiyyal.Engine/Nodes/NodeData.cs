using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes;

/// <summary>Thrown while binding a node's <c>data</c>; the payload is rejected with this reason.</summary>
public sealed class NodeDataException(string reason) : Exception(reason);

/// <summary>
/// A node's <c>data</c> object during decoding. Its fields have already been type-checked against the
/// node's <see cref="NodeDescriptor"/>, so the accessors only convert. Missing and <c>null</c> are the same.
/// </summary>
/// <remarks>
/// Valid only while <see cref="NodeExecutor.Bind"/> runs: the engine points the same instance at the next node of the
/// payload afterwards, so a binder must not keep it (it keeps the values it read instead).
/// </remarks>
public sealed class NodeData
{
    private ValueObject _data;

    private readonly ExpressionLimits _expressionLimits;

    internal NodeData(NodeDescriptor descriptor, ValueObject data, ExpressionLimits? expressionLimits = null)
    {
        Descriptor = descriptor;
        _data = data;
        _expressionLimits = expressionLimits ?? ExpressionLimits.Default;
    }

    /// <summary>Points this instance at another node's data (the compiler binds a payload's nodes through one).</summary>
    internal void Rebind(NodeDescriptor descriptor, ValueObject data)
    {
        Descriptor = descriptor;
        _data = data;
    }

    /// <summary>The descriptor of the node type being bound.</summary>
    public NodeDescriptor Descriptor { get; private set; }

    /// <summary>The raw data object.</summary>
    public ValueObject Raw => _data;

    /// <summary>True when <paramref name="key"/> is present and not <c>null</c>.</summary>
    public bool Has(string key) => _data.TryGetValue(key, out var v) && !v.IsNull;

    /// <summary>The raw value (<see cref="Value.Null"/> when missing).</summary>
    public Value Get(string key) => _data.GetOrNull(key);

    public double? Number(string key) => _data.TryGetValue(key, out var v) && v.TryGetNumber(out var n) ? n : null;

    public long? Integer(string key) => _data.TryGetValue(key, out var v) && v.TryGetNumber(out var n) ? (long)n : null;

    public string? String(string key) => _data.TryGetValue(key, out var v) && v.TryGetString(out var s) ? s : null;

    public bool? Bool(string key) => _data.TryGetValue(key, out var v) && v.TryGetBool(out var b) ? b : null;

    public ValueArray? Array(string key) => _data.TryGetValue(key, out var v) && v.TryGetArray(out var a) ? a : null;

    public ValueObject? Object(string key) => _data.TryGetValue(key, out var v) && v.TryGetObject(out var o) ? o : null;

    public IReadOnlyList<string>? Strings(string key) => Array(key)?.Select(v => v.AsString()).ToArray();

    /// <summary>The field's declared default (<see cref="NodeField.Default"/>); null when it declares none.</summary>
    public Value DefaultOf(string key) => Descriptor.Field(key)?.Default ?? default;

    /// <summary>The integer, or the field's declared default.</summary>
    public long IntegerOrDefault(string key) => Integer(key) ?? (DefaultOf(key).TryGetNumber(out var n) ? (long)n : 0);

    /// <summary>The number, or the field's declared default.</summary>
    public double NumberOrDefault(string key) => Number(key) ?? (DefaultOf(key).TryGetNumber(out var n) ? n : 0);

    /// <summary>The string, or the field's declared default.</summary>
    public string? StringOrDefault(string key) => String(key) ?? (DefaultOf(key).TryGetString(out var s) ? s : null);

    /// <summary>The duration, or the field's declared default when absent or not a valid duration.</summary>
    public TimeSpan DurationOrDefault(string key) =>
        Compatibility.GoDuration.TryParse(String(key), out var given) ? given
        : DefaultOf(key).TryGetString(out var text) && Compatibility.GoDuration.TryParse(text, out var fallback) ? fallback
        : TimeSpan.Zero;

    /// <summary>The string value, or fails with <c>missing required field: key</c>.</summary>
    public string RequiredString(string key) => String(key) ?? throw Missing(key);

    public double RequiredNumber(string key) => Number(key) ?? throw Missing(key);

    /// <summary>
    /// Parses expression text under the run's expression limits, keeping a syntax error (or a limit breach) inside
    /// the result so the node reports it when it runs (<see cref="ExpressionEngine.ParseOrError(string, ExpressionLimits)"/>).
    /// </summary>
    public ParsedExpression Expression(string text) => ExpressionEngine.ParseOrError(text, _expressionLimits);

    /// <summary><see cref="Expression"/> where an empty text means "no expression": null for <c>""</c>.</summary>
    public ParsedExpression? OptionalExpression(string text) => text.Length == 0 ? null : Expression(text);

    /// <summary>The decode error for a missing field.</summary>
    public static NodeDataException Missing(string key) => new($"missing required field: {key}");

    /// <summary>Checks every declared field's JSON type (in payload key order), then the required ones.</summary>
    internal void CheckFields()
    {
        foreach (var (key, value) in _data)
        {
            if (value.IsNull) continue;
            var field = FindField(key);
            if (field is null) continue;
            var error = TypeError(field, value);
            if (error is not null) throw new NodeDataException(error);
        }
        // Indexed loops: a foreach over the read-only lists would box their enumerators on every node decoded.
        var fields = Descriptor.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Required && !Has(fields[i].Name)) throw Missing(fields[i].Name);
        }
        var groups = Descriptor.RequiredGroups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (!groups[i].Any(Has)) throw new NodeDataException($"one of {string.Join(", ", groups[i])} is required");
        }
    }

    private NodeField? FindField(string key) => Descriptor.Field(key);

    private string? TypeError(NodeField field, Value value)
    {
        var ok = field.Type switch
        {
            FieldType.Number => value.IsNumber,
            FieldType.Integer => value.IsNumber && IsIntegerLiteral(value.AsNumber()),
            FieldType.String or FieldType.Expression or FieldType.Duration => value.IsString,
            FieldType.Boolean => value.IsBool,
            FieldType.Array => value.IsArray,
            FieldType.StringArray => value.IsArray && value.AsArray().All(v => v.IsString),
            FieldType.Object => value.IsObject,
            _ => true,
        };
        if (ok) return null;
        var jsonKind = value.Kind switch
        {
            ValueKind.Number or ValueKind.Integer => field.Type == FieldType.Integer ? $"number {Compatibility.GoFloatText.ToJson(value.AsNumber())}" : "number",
            ValueKind.String => "string",
            ValueKind.Bool => "bool",
            ValueKind.Array => field.Type == FieldType.StringArray ? ElementKind(value.AsArray()) : "array",
            ValueKind.Object => "object",
            _ => "value",
        };
        var goType = field.Type switch
        {
            FieldType.Number => "float64",
            FieldType.Integer => "int",
            FieldType.Boolean => "bool",
            FieldType.Array => "[]interface {}",
            FieldType.StringArray => value.IsArray ? "string" : "[]string",
            FieldType.Object => "map[string]interface {}",
            _ => "string",
        };
        return $"json: cannot unmarshal {jsonKind} into Go struct field {Descriptor.DataTypeName}.{field.Name} of type {goType}";
    }

    private static string ElementKind(ValueArray array)
    {
        foreach (var v in array)
        {
            if (!v.IsString) return v.Kind switch { ValueKind.Bool => "bool", ValueKind.Array => "array", ValueKind.Object => "object", ValueKind.Null => "null", _ => "number" };
        }
        return "array";
    }

    // Go rejects 3.0 and 1e3 for int fields because it looks at the literal; a double that went through
    // the reader cannot tell, so whole numbers are accepted and only fractions rejected.
    private static bool IsIntegerLiteral(double n) => n == Math.Floor(n) && Math.Abs(n) <= long.MaxValue;
}
