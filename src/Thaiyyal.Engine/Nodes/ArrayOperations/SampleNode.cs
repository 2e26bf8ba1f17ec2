namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>sample</c>: the first, the last, or randomly chosen elements of the input array.</summary>
internal sealed class SampleNode : ArrayNodeExecutor<SampleNode.Options>
{
    /// <summary>The raw count (a number is truncated, anything else means 1) and the method.</summary>
    public sealed record Options(Value Count, string Method);

    public override NodeDescriptor Descriptor { get; } = new("sample", NodeCategories.ArrayOperations, "Sample",
        "Picks count elements: the first ones, the last ones, or distinct random ones.",
        [
            new NodeField("count", FieldType.Any, "Count", "How many elements to pick (a number greater than 0; not a number means 1).", Required: true, Default: 1),
            new NodeField("method", FieldType.String, "Method", "random (default), first or last.", Default: "random", Options: ["random", "first", "last"]),
        ])
    {
        EditorDefaults = ValueObject.Of(("count", 1)),
    };

    // Only a missing or null method means random: "" is an unknown method, as in the original.
    protected override Options BindOptions(NodeData data) => new(data.Get("count"), data.String("method") ?? "random");

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var count = ArrayResults.TruncatedOr(options.Count, 1);
        if (count <= 0) throw new NodeExecutionException($"sample count must be greater than 0, got {count}");
        var n = items.Count;
        var take = (int)Math.Min(count, n);
        var span = items.AsSpan();
        Value[] sample = options.Method switch
        {
            "first" => span[..take].ToArray(),
            "last" => span[(n - take)..].ToArray(),
            "random" => count >= n ? span.ToArray() : PickRandom(span, take, context.Random),
            _ => throw new NodeExecutionException($"unknown sample method: {options.Method} (must be 'random', 'first', or 'last')"),
        };
        return ValueObject.Of(
            ("sample", new ValueArray(sample)),
            ("input_count", Value.FromInteger(n)),
            ("output_count", Value.FromInteger(sample.Length)),
            ("method", options.Method));
    }

    /// <summary><paramref name="take"/> distinct elements, uniformly, in random order (a partial Fisher–Yates shuffle).</summary>
    private static Value[] PickRandom(ReadOnlySpan<Value> items, int take, Random random)
    {
        var pool = items.ToArray();
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..take];
    }
}
