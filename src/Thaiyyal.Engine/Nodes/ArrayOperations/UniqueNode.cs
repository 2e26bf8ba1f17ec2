namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>unique</c>: the first element of each distinct text key, in input order.</summary>
internal sealed class UniqueNode : ArrayNodeExecutor<UniqueNode.Options>
{
    /// <summary>The field whose value is the key (empty: the element's own text).</summary>
    public sealed record Options(string Field);

    public override NodeDescriptor Descriptor { get; } = new("unique", NodeCategories.ArrayOperations, "Unique",
        "Removes duplicates, comparing elements (or one field of each object) by their text.",
        [new NodeField("field", FieldType.String, "Field", "Compare objects by this key; objects without it are always kept. Empty compares whole elements.", Default: "")])
    {
        EditorDefaults = ValueObject.Of(("field", "")),
    };

    protected override Options BindOptions(NodeData data) => new(data.String("field") ?? "");

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<Value>();
        foreach (var item in items)
        {
            string key;
            if (options.Field.Length > 0 && item.TryGetObject(out var obj))
            {
                if (!obj.TryGetValue(options.Field, out var value))
                {
                    unique.Add(item);
                    continue;
                }
                key = Compatibility.GoValueText.ToGoString(value);
            }
            else
            {
                key = Compatibility.GoValueText.ToGoString(item);
            }
            if (seen.Add(key)) unique.Add(item);
        }
        return ValueObject.Of(
            ("unique", ArrayResults.NilArray(unique)),
            ("input_count", Value.FromInteger(items.Count)),
            ("output_count", Value.FromInteger(unique.Count)),
            ("removed", Value.FromInteger(items.Count - unique.Count)));
    }
}
