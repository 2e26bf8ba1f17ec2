namespace Thaiyyal.Engine.Nodes;

/// <summary>Palette groups, in the editor's order.</summary>
public static class NodeCategories
{
    public const string InputOutput = "Input/Output";
    public const string ControlFlow = "Control Flow";
    public const string Operations = "Operations";
    public const string ParallelJoin = "Parallel & Join";
    public const string StateMemory = "State & Memory";
    public const string ErrorHandling = "Error Handling";
    public const string Utilities = "Utilities";
    public const string ArrayOperations = "Array Operations";
    public const string Advanced = "Advanced";
    public const string Custom = "Custom";

    /// <summary>All built-in categories in palette order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [InputOutput, ControlFlow, Operations, ParallelJoin, StateMemory, ErrorHandling, Utilities, ArrayOperations, Advanced, Custom];
}

/// <summary>The JSON type a data field must have at decode time.</summary>
public enum FieldType
{
    /// <summary>Any JSON number.</summary>
    Number,
    /// <summary>A JSON integer literal (<c>2.5</c>, <c>3.0</c> and <c>1e3</c> are rejected, as in the original).</summary>
    Integer,
    /// <summary>A string.</summary>
    String,
    /// <summary>A boolean.</summary>
    Boolean,
    /// <summary>An expression string (the editor shows an expression editor).</summary>
    Expression,
    /// <summary>A duration string such as <c>500ms</c> or <c>1m</c>.</summary>
    Duration,
    /// <summary>An array of any values.</summary>
    Array,
    /// <summary>An array of strings.</summary>
    StringArray,
    /// <summary>A JSON object.</summary>
    Object,
    /// <summary>Any JSON value.</summary>
    Any,
}

/// <summary>One field of a node's <c>data</c> object, as the decoder checks it and the editor shows it.</summary>
/// <param name="Name">The exact key in <c>data</c>.</param>
/// <param name="Type">The JSON type the decoder requires.</param>
/// <param name="Label">Short label for the editor.</param>
/// <param name="Description">One sentence for the editor's help text.</param>
/// <param name="Required">Missing or <c>null</c> rejects the payload with <c>missing required field: name</c>.</param>
/// <param name="Default">The value used when the field is absent (shown in the editor).</param>
/// <param name="Options">Allowed values for enumerations.</param>
public sealed record NodeField(
    string Name,
    FieldType Type,
    string Label,
    string Description = "",
    bool Required = false,
    Value Default = default,
    IReadOnlyList<string>? Options = null);

/// <summary>An output handle of a node. <c>null</c> <see cref="Id"/> is the single unnamed output.</summary>
public sealed record NodeHandle(string? Id, string Label);

/// <summary>What the engine and the editor know about a node type.</summary>
/// <param name="Type">The type string in payloads.</param>
/// <param name="Category">Palette group (<see cref="NodeCategories"/>).</param>
/// <param name="Label">Display name.</param>
/// <param name="Description">One-line purpose.</param>
/// <param name="Fields">The <c>data</c> fields.</param>
public sealed record NodeDescriptor(string Type, string Category, string Label, string Description, IReadOnlyList<NodeField> Fields)
{
    /// <summary>Smallest number of inputs the node needs (0: a source node).</summary>
    public int MinInputs { get; init; } = 1;

    /// <summary>Largest number of inputs the node uses (<c>null</c>: any number).</summary>
    public int? MaxInputs { get; init; } = 1;

    /// <summary>Output handles. One unnamed output unless the node branches.</summary>
    public IReadOnlyList<NodeHandle> Outputs { get; init; } = [new(null, "output")];

    /// <summary>True when output handles come from the node's data (switch cases).</summary>
    public bool DynamicOutputs { get; init; }

    /// <summary>True for scope nodes whose body is drawn as a box (design/scopes.md).</summary>
    public bool IsScope { get; init; }

    /// <summary>Offered in the editor's palette (engine-only nodes are not).</summary>
    public bool InPalette { get; init; } = true;

    /// <summary>The <c>data</c> the editor creates for a new node, when it is not simply the fields' declared defaults.</summary>
    public ValueObject? EditorDefaults { get; init; }

    /// <summary>
    /// The fields whose declared <see cref="NodeField.Default"/> a new node starts with (null: every field that has one).
    /// Names the fields only, so each default value is written once, on its field.
    /// </summary>
    public IReadOnlyList<string>? EditorDefaultFields { get; init; }

    /// <summary>Groups of fields of which at least one must be present: decoding fails with <c>one of a, b is required</c>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> RequiredGroups { get; init; } = [];

    /// <summary>When a payload node has no <c>type</c>, the data keys that make it this type (null: never inferred).</summary>
    public InferenceRule? Inference { get; init; }

    /// <summary>The data a new node starts with: <see cref="EditorDefaults"/>, else the declared defaults of <see cref="EditorDefaultFields"/>.</summary>
    public ValueObject NewNodeData
    {
        get
        {
            if (EditorDefaults is not null) return EditorDefaults;
            var entries = new Dictionary<string, Value>(StringComparer.Ordinal);
            foreach (var f in Fields)
            {
                if (!f.Default.IsNull && (EditorDefaultFields is null || EditorDefaultFields.Contains(f.Name))) entries[f.Name] = f.Default;
            }
            return new ValueObject(entries);
        }
    }

    /// <summary>The declared field named <paramref name="name"/>, or null.</summary>
    public NodeField? Field(string name)
    {
        // Indexed: a foreach over the read-only list would box its enumerator on every lookup (every key decoded).
        var fields = Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == name) return fields[i];
        }
        return null;
    }

    /// <summary>The Go struct name the original used in decode errors (e.g. <c>ForEachData</c>).</summary>
    public string DataTypeName => string.Concat(Type.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])) + "Data";
}

/// <summary>
/// Which data keys make a payload node without <c>type</c> this type (workflow-format.md §2.1). Rules of all node
/// types are tried by ascending <see cref="Rank"/>; the first that matches decides.
/// </summary>
/// <param name="Rank">Order among all rules (the spec's row number for built-ins).</param>
/// <param name="Keys">Any one of these keys present in <c>data</c> (even as null) matches.</param>
public sealed record InferenceRule(int Rank, IReadOnlyList<string> Keys)
{
    /// <summary>Keys that must be present as well (<c>cache_op</c> needs <c>cache_key</c>).</summary>
    public IReadOnlyList<string> AlsoRequired { get; init; } = [];

    /// <summary>The matching key's value must be a non-empty string (the <c>expression</c> rule).</summary>
    public bool NonEmptyString { get; init; }

    public bool Matches(ValueObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var key in AlsoRequired)
        {
            if (!data.ContainsKey(key)) return false;
        }
        foreach (var key in Keys)
        {
            if (!data.TryGetValue(key, out var value)) continue;
            if (!NonEmptyString || (value.TryGetString(out var text) && text.Length > 0)) return true;
        }
        return false;
    }
}
