namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>slice</c>: a part of the input array, with Python-style negative indices.</summary>
internal sealed class SliceNode : ArrayNodeExecutor<SliceNode.Options>
{
    /// <summary>The raw bounds; only numbers count, truncated toward zero.</summary>
    public sealed record Options(Value Start, Value End, Value Length);

    public override NodeDescriptor Descriptor { get; } = new("slice", NodeCategories.ArrayOperations, "Slice",
        "Takes the elements from start up to (not including) end; negative positions count from the end.",
        [
            new NodeField("start", FieldType.Any, "Start", "First position (number); negative counts from the end.", Default: 0),
            new NodeField("end", FieldType.Any, "End", "Position after the last element (number); negative counts from the end. Defaults to the array's length."),
            new NodeField("length", FieldType.Any, "Length", "Number of elements from start, used when end is not a number."),
        ])
    {
        EditorDefaults = ValueObject.Of(("start", 0), ("end", -1)),
    };

    protected override Options BindOptions(NodeData data) => new(data.Get("start"), data.Get("end"), data.Get("length"));

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        long n = items.Count;
        var start = ArrayResults.TruncatedOr(options.Start, 0);
        if (start < 0) start += n;
        start = Math.Clamp(start, 0, n);
        long end;
        if (options.End.TryGetNumber(out var e)) end = Compatibility.GoStrconv.Truncate(e);
        else if (options.Length.TryGetNumber(out var len)) end = SaturatingAdd(start, Compatibility.GoStrconv.Truncate(len));
        else end = n;
        if (end < 0) end += n;
        end = Math.Clamp(end, 0, n);
        if (start > end) start = end;
        var sliced = items.AsSpan()[(int)start..(int)end].ToArray();
        return ValueObject.Of(
            ("sliced", new ValueArray(sliced)),
            ("input_count", Value.FromInteger(n)),
            ("output_count", Value.FromInteger(sliced.Length)),
            ("start", Value.FromInteger(start)),
            ("end", Value.FromInteger(end)));
    }

    private static long SaturatingAdd(long a, long b)
    {
        var sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : sum;
    }
}
