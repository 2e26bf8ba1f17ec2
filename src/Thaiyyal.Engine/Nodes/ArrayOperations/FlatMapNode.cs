namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>flat_map</c>: one level of flattening, of the elements or of one field of each object.</summary>
internal sealed class FlatMapNode : ArrayNodeExecutor<FlatMapNode.Options>
{
    /// <summary>The field to take from each object; empty or <c>.</c> means the element itself.</summary>
    public sealed record Options(string Field);

    public override NodeDescriptor Descriptor { get; } = new("flat_map", NodeCategories.ArrayOperations, "FlatMap",
        "Joins the elements' arrays (or a field's arrays) into one array, one level deep.",
        [new NodeField("field", FieldType.String, "Field", "Take this key of each object; empty or '.' uses the elements themselves.", Default: "")])
    {
        EditorDefaults = ValueObject.Of(("field", "")),
    };

    protected override Options BindOptions(NodeData data) => new(data.String("field") ?? "");

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var useElement = options.Field is "" or ".";
        var flattened = new List<Value>();
        foreach (var item in items)
        {
            Value part;
            if (useElement) part = item;
            else if (!item.TryGetObject(out var obj) || !obj.TryGetValue(options.Field, out part)) continue;
            if (part.TryGetArray(out var inner))
            {
                ArrayResults.CheckLength((long)flattened.Count + inner.Count, context.Limits, "flat_map");
                flattened.AddRange(inner);
            }
            else
            {
                ArrayResults.CheckLength(flattened.Count + 1L, context.Limits, "flat_map");
                flattened.Add(part);
            }
        }
        return ValueObject.Of(
            ("flattened", ArrayResults.NilArray(flattened)),
            ("input_count", Value.FromInteger(items.Count)),
            ("output_count", Value.FromInteger(flattened.Count)),
            ("field", options.Field));
    }
}
