namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>zip</c>: tuples of the elements at the same position of several arrays, padded to the longest.</summary>
internal sealed class ZipNode : NodeExecutor<ZipNode.Options>
{
    /// <summary>The arrays from data (non-arrays dropped) and the padding value.</summary>
    public sealed record Options(IReadOnlyList<ValueArray> Arrays, Value FillMissing);

    public override NodeDescriptor Descriptor { get; } = new("zip", NodeCategories.ArrayOperations, "Zip",
        "Combines the input array with further arrays position by position into tuples, padding shorter ones.",
        [
            new NodeField("arrays", FieldType.Array, "Arrays", "More arrays to zip after the input array (entries that are not arrays are ignored)."),
            new NodeField("fill_missing", FieldType.Any, "Fill value", "Put where an array has no element at a position.", Default: Value.Null),
            new NodeField("remove_empty", FieldType.Boolean, "Remove empty", "Accepted for compatibility; has no effect.", Default: false),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Empty,
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var arrays = new List<ValueArray>();
        foreach (var entry in data.Array("arrays") ?? ValueArray.Empty)
        {
            if (entry.TryGetArray(out var array)) arrays.Add(array);
        }
        return new(arrays, data.Get("fill_missing"));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var arrays = new List<ValueArray>(options.Arrays.Count + 1);
        if (context.Input.TryGetArray(out var input)) arrays.Add(input);
        arrays.AddRange(options.Arrays);
        if (arrays.Count == 0) throw new NodeExecutionException("zip node requires at least one array");
        var length = arrays.Max(a => a.Count);
        ArrayResults.CheckLength(length, context.Limits, "zip");
        var tuples = new List<Value>(length);
        for (var i = 0; i < length; i++)
        {
            var tuple = new Value[arrays.Count];
            for (var a = 0; a < arrays.Count; a++) tuple[a] = i < arrays[a].Count ? arrays[a][i] : options.FillMissing;
            tuples.Add(new ValueArray(tuple));
        }
        return new(ValueObject.Of(
            ("zipped", ArrayResults.NilArray(tuples)),
            ("array_count", Value.FromInteger(arrays.Count)),
            ("tuple_count", Value.FromInteger(length)),
            ("max_length", Value.FromInteger(length))));
    }
}
