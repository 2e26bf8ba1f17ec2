namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>range</c>: the numbers from start to end (inclusive) in steps; needs no input.</summary>
internal sealed class RangeNode : NodeExecutor<RangeNode.Options>
{
    /// <summary>The original refuses ranges of this many elements or more.</summary>
    public const int MaxItems = 10_000;

    /// <summary>Start, end and step; non-numbers fell back to 0, 10 and 1.</summary>
    public sealed record Options(double Start, double End, double Step);

    public override NodeDescriptor Descriptor { get; } = new("range", NodeCategories.ArrayOperations, "Range",
        "Generates the numbers from start to end inclusive, step apart (fewer than 10000).",
        [
            new NodeField("start", FieldType.Any, "Start", "First number (not a number means 0).", Default: 0),
            new NodeField("end", FieldType.Any, "End", "Last number, included when reached (not a number means 10).", Default: 10),
            new NodeField("step", FieldType.Any, "Step", "Distance between numbers; negative counts down, 0 is an error.", Default: 1),
        ])
    {
        MinInputs = 0,
        MaxInputs = 0,
        EditorDefaults = ValueObject.Of(("start", 0), ("end", 10), ("step", 1)),
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        if (!data.Has("start") || !data.Has("end")) throw new NodeDataException("missing required field: start and end");
        return new(data.Number("start") ?? 0, data.Number("end") ?? 10, data.Number("step") ?? 1);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var (start, end, step) = (options.Start, options.End, options.Step);
        if (step == 0) throw new NodeExecutionException("range step cannot be 0");
        if (step > 0 && start > end)
            throw new NodeExecutionException($"range with positive step requires start <= end, got start={Compatibility.GoFloatText.ToGo(start)} end={Compatibility.GoFloatText.ToGo(end)}");
        if (step < 0 && start < end)
            throw new NodeExecutionException($"range with negative step requires start >= end, got start={Compatibility.GoFloatText.ToGo(start)} end={Compatibility.GoFloatText.ToGo(end)}");
        // Counted first, then written into an array of exactly that length: the same repeated addition twice (the
        // original adds, so fractional steps accumulate the same rounding) costs less than a list and its copy.
        var count = 0;
        for (var x = start; step > 0 ? x <= end : x >= end; x += step)
        {
            if (++count >= MaxItems)
                throw new NodeExecutionException($"range would generate more than {MaxItems} items, adjust start/end/step");
        }
        ArrayResults.CheckLength(count, context.Limits, "range");
        var numbers = new Value[count];
        var i = 0;
        for (var x = start; i < count; x += step) numbers[i++] = x;
        return new(ValueObject.Of(
            ("range", new ValueArray(numbers)),
            ("count", Value.FromInteger(count)),
            ("start", start),
            ("end", end),
            ("step", step)));
    }
}
