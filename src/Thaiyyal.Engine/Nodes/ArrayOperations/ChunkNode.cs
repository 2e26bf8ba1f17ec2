namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>chunk</c>: the input array cut into consecutive pieces of <c>size</c> elements.</summary>
internal sealed class ChunkNode : ArrayNodeExecutor<ChunkNode.Options>
{
    /// <summary>The raw size; a number is truncated, anything else means 10.</summary>
    public sealed record Options(Value Size);

    public override NodeDescriptor Descriptor { get; } = new("chunk", NodeCategories.ArrayOperations, "Chunk",
        "Splits the array into pieces of a fixed size; the last piece may be shorter.",
        [new NodeField("size", FieldType.Any, "Size", "Elements per piece (a number greater than 0; not a number means 10).", Required: true, Default: 3)])
    {
        EditorDefaults = ValueObject.Of(("size", 3)),
    };

    protected override Options BindOptions(NodeData data) => new(data.Get("size"));

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        var size = ArrayResults.TruncatedOr(options.Size, 10);
        if (size <= 0) throw new NodeExecutionException($"chunk size must be greater than 0, got {size}");
        ArrayResults.CheckLength((items.Count + size - 1) / size, context.Limits, "chunk");
        var chunks = new List<Value>();
        for (long start = 0; start < items.Count; start += size)
        {
            var end = (int)Math.Min(items.Count, start + size);
            chunks.Add(new ValueArray(items.AsSpan()[(int)start..end].ToArray()));
        }
        return ValueObject.Of(
            ("chunks", ArrayResults.NilArray(chunks)),
            ("input_count", Value.FromInteger(items.Count)),
            ("chunk_count", Value.FromInteger(chunks.Count)),
            ("chunk_size", Value.FromInteger(size)));
    }
}
