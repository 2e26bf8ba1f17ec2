namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>compact</c>: the input array without nulls and NaNs (and, optionally, empty strings).</summary>
internal sealed class CompactNode : ArrayNodeExecutor<CompactNode.Options>
{
    /// <summary>Whether empty strings are removed too.</summary>
    public sealed record Options(bool RemoveEmpty);

    public override NodeDescriptor Descriptor { get; } = new("compact", NodeCategories.ArrayOperations, "Compact",
        "Removes null (and NaN) elements, and empty strings when asked; empty arrays and objects stay.",
        [new NodeField("remove_empty", FieldType.Boolean, "Remove empty strings", "Also remove \"\" elements.", Default: false)])
    {
        EditorDefaults = ValueObject.Of(("remove_empty", false)),
    };

    protected override Options BindOptions(NodeData data) => new(data.Bool("remove_empty") ?? false);

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var kept = new List<Value>(items.Count);
        foreach (var item in items)
        {
            if (item.IsNull) continue;
            if (item.TryGetNumber(out var n) && double.IsNaN(n)) continue;
            if (options.RemoveEmpty && item.TryGetString(out var s) && s.Length == 0) continue;
            kept.Add(item);
        }
        return ValueObject.Of(
            ("compacted", ArrayResults.NilArray(kept)),
            ("input_count", Value.FromInteger(items.Count)),
            ("output_count", Value.FromInteger(kept.Count)),
            ("removed", Value.FromInteger(items.Count - kept.Count)));
    }
}
