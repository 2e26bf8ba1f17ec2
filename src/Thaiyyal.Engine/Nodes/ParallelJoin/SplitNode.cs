namespace Thaiyyal.Engine.Nodes.ParallelJoin;

/// <summary><c>split</c>: repeats its input under each path name (the names are not routing handles).</summary>
internal sealed class SplitNode : NodeExecutor<SplitNode.Options>
{
    /// <summary>The path names.</summary>
    public sealed record Options(IReadOnlyList<string> Paths);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("split", NodeCategories.ParallelJoin, "Split",
        "Outputs the input once under each named path, in an outputs object.",
        [new NodeField("paths", FieldType.StringArray, "Paths", "The path names (at least one).", Required: true, Default: new ValueArray(["path1", "path2"]))])
    {
        EditorDefaults = ValueObject.Of(("paths", new ValueArray(["path1", "path2"]))),
    } with { Inference = new(22, ["paths"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var paths = data.Strings("paths");
        return paths is { Count: > 0 } ? new(paths) : throw NodeData.Missing("paths");
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("split node requires at least one input");
        var input = context.Input;
        var outputs = new Dictionary<string, Value>(options.Paths.Count, StringComparer.Ordinal);
        foreach (var path in options.Paths) outputs[path] = input;
        var paths = new ValueArray(options.Paths.Select(p => Value.From(p)));
        return new(ValueObject.Of(("value", input), ("paths", paths), ("outputs", new ValueObject(outputs))));
    }
}
