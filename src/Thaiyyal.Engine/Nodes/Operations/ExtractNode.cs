namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>extract</c>: one field of the input object as <c>{field, value}</c>, or an object of several fields.</summary>
internal sealed class ExtractNode : NodeExecutor<ExtractNode.Options>
{
    /// <summary><see cref="Field"/> wins when given; otherwise <see cref="Fields"/>.</summary>
    public sealed record Options(string? Field, IReadOnlyList<string> Fields);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("extract", NodeCategories.Operations, "Extract",
        "Picks one field (field) or several fields (fields) from the input object; keys are plain, not paths.",
        [
            new NodeField("field", FieldType.String, "Field", "The key to pick; the result is {field, value} and a missing key is an error.", Default: ""),
            new NodeField("fields", FieldType.StringArray, "Fields", "Keys to copy into the result object; missing ones are left out."),
        ])
    {
        EditorDefaults = ValueObject.Of(("field", "")),
    } with { Inference = new(15, ["field", "fields"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var field = data.String("field");
        var fields = data.Strings("fields") ?? [];
        if (field is null && fields.Count == 0) throw new NodeDataException("missing required field: field or fields");
        return new(field, fields);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("extract node requires input");
        var input = context.Input;
        if (!input.TryGetObject(out var obj)) throw new NodeExecutionException($"extract node requires object input, got {input.GoTypeName}");
        if (options.Field is { } field)
        {
            return obj.TryGetValue(field, out var value)
                ? new(ValueObject.Of(("field", field), ("value", value)))
                : throw new NodeExecutionException($"field '{field}' not found in input object");
        }
        var picked = new Dictionary<string, Value>(options.Fields.Count, StringComparer.Ordinal);
        foreach (var name in options.Fields)
        {
            if (obj.TryGetValue(name, out var value)) picked[name] = value;
        }
        return new(new ValueObject(picked));
    }
}
