namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary>
/// <c>context_variable</c> and <c>context_constant</c>: define named, typed values that expressions read as
/// <c>context.&lt;name&gt;</c> (a variable shadows a constant of the same name).
/// </summary>
internal abstract class ContextValuesNode : NodeExecutor<ContextValuesNode.Options>
{
    /// <summary>One named value and the type it is converted to.</summary>
    public sealed record Entry(string Name, Value Value, string Type);

    /// <summary>The typed entries (preferred form), or the legacy single name and value.</summary>
    public sealed record Options(IReadOnlyList<Entry> Entries, string? LegacyName, Value LegacyValue);

    private protected ContextValuesNode(string type, string label, string kind, string collectionKey, InferenceRule? inference = null)
    {
        Kind = kind;
        CollectionKey = collectionKey;
        Descriptor = new(type, NodeCategories.StateMemory, label,
            "Defines named values that expressions read as context.<name>; each is converted to its type.",
            [
                new NodeField("context_values", FieldType.Array, "Values", "Entries {name, value, type}; type is string, number, boolean, time_string, epoch_second, epoch_ms or null."),
                new NodeField("context_name", FieldType.String, "Name", "Legacy form: one name (used when context_values is empty)."),
                new NodeField("context_value", FieldType.Any, "Value", "Legacy form: its value, stored without conversion."),
            ])
        {
            MinInputs = 0,
            MaxInputs = 0,
            EditorDefaults = ValueObject.Of(("context_values", new ValueArray([ValueObject.Of(("name", "name"), ("value", ""), ("type", "string"))]))),
            Inference = inference,
        };
    }

    public override NodeDescriptor Descriptor { get; }

    /// <summary><c>variable</c> or <c>const</c>, the result's <c>type</c>.</summary>
    private string Kind { get; }

    /// <summary><c>variables</c> or <c>constants</c>, the result's key for the converted values.</summary>
    private string CollectionKey { get; }

    /// <summary>Stores one value in the run's state.</summary>
    private protected abstract void Store(WorkflowState state, string name, Value value);

    protected override Options BindOptions(NodeData data)
    {
        var entries = new List<Entry>();
        foreach (var raw in data.Array("context_values") ?? ValueArray.Empty)
        {
            if (!raw.TryGetObject(out var entry))
                throw new NodeDataException($"json: cannot unmarshal {JsonKind(raw)} into Go struct field {Descriptor.DataTypeName}.context_values of type types.ContextValue");
            entries.Add(new Entry(StringMember(entry, "name"), entry.GetOrNull("value"), StringMember(entry, "type")));
        }
        var name = data.String("context_name");
        if (entries.Count == 0 && name is null) throw new NodeDataException("missing required field: context_values or context_name");
        return new(entries, name, data.Get("context_value"));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var type = Descriptor.Type;
        if (options.Entries.Count == 0)
        {
            if (options.LegacyValue.IsNull) throw new NodeExecutionException($"{type} node missing context_value");
            Store(context.State, options.LegacyName!, options.LegacyValue);
            return new(ValueObject.Of(("type", Kind), ("name", options.LegacyName), ("value", options.LegacyValue)));
        }
        var converted = new Dictionary<string, Value>(options.Entries.Count, StringComparer.Ordinal);
        foreach (var entry in options.Entries)
        {
            var error = ContextValueConversion.TryConvert(entry.Value, entry.Type, out var value);
            if (error is not null) throw new NodeExecutionException($"{type} node: error converting {entry.Name} ({entry.Type}): {error}");
            Store(context.State, entry.Name, value);
            converted[entry.Name] = value;
        }
        return new(ValueObject.Of(("type", Kind), (CollectionKey, new ValueObject(converted))));
    }

    private string StringMember(ValueObject entry, string key)
    {
        var value = entry.GetOrNull(key);
        if (value.IsNull) return "";
        return value.TryGetString(out var s)
            ? s
            : throw new NodeDataException($"json: cannot unmarshal {JsonKind(value)} into Go struct field {Descriptor.DataTypeName}.context_values.{key} of type string");
    }

    private static string JsonKind(Value value) => value.Kind switch
    {
        ValueKind.String => "string",
        ValueKind.Bool => "bool",
        ValueKind.Array => "array",
        ValueKind.Object => "object",
        _ => "number",
    };
}

/// <summary><c>context_variable</c>: context values that shadow constants of the same name.</summary>
internal sealed class ContextVariableNode() : ContextValuesNode("context_variable", "Context Variable", "variable", "variables",
    new InferenceRule(25, ["context_name", "context_values"]))
{
    private protected override void Store(WorkflowState state, string name, Value value) => state.SetContextVariable(name, value);
}

/// <summary><c>context_constant</c>: context values (a later node may still overwrite them).</summary>
internal sealed class ContextConstantNode() : ContextValuesNode("context_constant", "Context Constant", "const", "constants")
{
    private protected override void Store(WorkflowState state, string name, Value value) => state.SetContextConstant(name, value);
}
