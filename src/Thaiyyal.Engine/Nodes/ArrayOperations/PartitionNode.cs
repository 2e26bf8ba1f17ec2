using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>partition</c>: splits an array into the elements that pass a condition and those that fail it.</summary>
internal sealed class PartitionNode : NodeExecutor<PartitionNode.Options>
{
    /// <summary>The condition (null when empty).</summary>
    public sealed record Options(ParsedExpression? Condition);

    public override NodeDescriptor Descriptor { get; } = new("partition", NodeCategories.ArrayOperations, "Partition",
        "Splits an array into passed and failed elements by a condition.",
        [new NodeField("condition", FieldType.Expression, "Condition", "Evaluated per element with item, index and items bound.",
            Required: true, Default: "item > 0")])
    {
        // The editor draws true/false outputs, but the result carries no branch keys, so edges from them never
        // activate (workflow-format.md §8.2); kept as in the original. Use the single result's passed/failed arrays.
        Outputs = [new("true", "true"), new("false", "false")],
        EditorDefaults = ValueObject.Of(("condition", "item > 0")),
    };

    protected override bool IsIndependent(Options options) => options.Condition is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var text = data.RequiredString("condition");
        return new(data.OptionalExpression(text));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("partition node needs at least 1 input");
        var condition = options.Condition ?? throw new NodeExecutionException("partition node missing required 'condition' string");
        var input = context.Input;
        if (!ArrayNodeInputs.TryUnwrap(input, out var array)) return new(ArrayNodeInputs.NotAnArray(input));
        var environment = ExpressionEnvironment.For(context);
        var items = Value.From(array);
        List<Value>? passed = null;
        List<Value>? failed = null;
        var loop = new ElementLoop(condition, environment, items: items);
        for (var i = 0; i < array.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!loop.TryCondition(array[i], Value.FromInteger(i), out var pass, out var error))
                throw new NodeExecutionException($"partition condition evaluation failed at index {i}: {error.Message}", error);
            if (pass) (passed ??= []).Add(array[i]);
            else (failed ??= []).Add(array[i]);
        }
        return new(ValueObject.Of(
            ("passed", NilArray(passed)),
            ("failed", NilArray(failed)),
            ("passed_count", Value.FromInteger(passed?.Count ?? 0)),
            ("failed_count", Value.FromInteger(failed?.Count ?? 0)),
            ("input_count", Value.FromInteger(array.Count)),
            ("condition", condition.Text)));
    }

    // The original's arrays that nothing was appended to serialise as null.
    private static Value NilArray(List<Value>? values) => values is null ? Value.Null : Value.From(new ValueArray([.. values]));
}
