namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>sort</c>: a stable sort of the input array, by value or by one field of each object.</summary>
internal sealed class SortNode : ArrayNodeExecutor<SortNode.Options>
{
    /// <summary>The sort key field (empty: the elements themselves) and the lower-cased order.</summary>
    public sealed record Options(string Field, string Order);

    public override NodeDescriptor Descriptor { get; } = new("sort", NodeCategories.ArrayOperations, "Sort",
        "Sorts the array ascending or descending, by the elements or by a field of each object.",
        [
            new NodeField("field", FieldType.String, "Field", "Sort objects by this key; empty sorts the elements themselves.", Default: ""),
            new NodeField("order", FieldType.String, "Order", "asc or desc (anything but desc sorts ascending).", Default: "asc", Options: ["asc", "desc"]),
        ])
    {
        EditorDefaults = ValueObject.Of(("field", ""), ("order", "asc")),
    };

    protected override Options BindOptions(NodeData data)
    {
        var order = data.String("order");
        return new(data.String("field") ?? "", string.IsNullOrEmpty(order) ? "asc" : order.ToLowerInvariant());
    }

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var keyed = new (Value Key, Value Item)[items.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            var item = items[i];
            keyed[i] = (options.Field.Length == 0 ? item : FieldOf(item, options.Field), item);
        }
        // OrderBy is stable; descending is the reverse of the stable ascending order (ties reversed, nulls last).
        var sorted = keyed.OrderBy(k => k.Key, SortKeyComparer.Instance).Select(k => k.Item).ToArray();
        if (options.Order == "desc") Array.Reverse(sorted);
        return ValueObject.Of(
            ("sorted", new ValueArray(sorted)),
            ("count", Value.FromInteger(sorted.Length)),
            ("field", options.Field),
            ("order", options.Order));
    }

    private static Value FieldOf(Value item, string field) =>
        item.TryGetObject(out var obj) ? obj.GetOrNull(field) : Value.Null;
}

/// <summary>
/// The original's sort-key order: null first; numbers numerically; strings ordinally; false before true;
/// anything else by its generic text.
/// </summary>
internal sealed class SortKeyComparer : IComparer<Value>
{
    public static SortKeyComparer Instance { get; } = new();

    public int Compare(Value a, Value b)
    {
        if (a.IsNull || b.IsNull) return (a.IsNull ? 0 : 1) - (b.IsNull ? 0 : 1);
        if (a.TryGetNumber(out var x) && b.TryGetNumber(out var y)) return x.CompareTo(y);
        if (a.TryGetString(out var s) && b.TryGetString(out var t)) return string.CompareOrdinal(s, t);
        if (a.TryGetBool(out var p) && b.TryGetBool(out var q)) return p.CompareTo(q);
        return string.CompareOrdinal(Compatibility.GoValueText.ToGoString(a), Compatibility.GoValueText.ToGoString(b));
    }
}
