using System.Buffers;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Nodes.ArrayOperations;

namespace Thaiyyal.Engine.Nodes.ControlFlow;

/// <summary><c>filter</c>: keeps the array elements for which a condition holds (<c>item</c>, <c>index</c> bound).</summary>
internal sealed class FilterNode : NodeExecutor<FilterNode.Options>
{
    /// <summary>The condition, parsed once at decode (null when empty).</summary>
    public sealed record Options(ParsedExpression? Condition);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("filter", NodeCategories.ControlFlow, "Filter",
        "Keeps the elements of an array for which a condition holds, e.g. item.age >= 18.",
        [new NodeField("condition", FieldType.Expression, "Condition", "Evaluated per element with item and index bound.",
            Required: true, Default: "item.age > 0")])
    {
        EditorDefaults = ValueObject.Of(("condition", "item.age > 0")),
    } with { Inference = new(11, ["condition"]) };

    protected override bool IsIndependent(Options options) => options.Condition is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var text = data.RequiredString("condition");
        return new(data.OptionalExpression(text));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var condition = options.Condition ?? throw new NodeExecutionException("filter node missing condition expression");
        if (context.Inputs.Count == 0) throw new NodeExecutionException("filter node needs at least 1 input");
        var input = context.Input;
        if (!ArrayNodeInputs.TryUnwrap(input, out var array))
        {
            return new(ValueObject.Of(
                ("input", input),
                ("filtered", input),
                ("is_array", false),
                ("warning", "input is not an array, passed through unchanged"),
                ("original_type", input.GoTypeName)));
        }
        var environment = ExpressionEnvironment.For(context);
        // A pooled buffer with room for every element, so keeping one never grows a list; the result is copied out at
        // its exact length, or is the input itself when every element was kept (arrays are immutable).
        var kept = ArrayPool<Value>.Shared.Rent(array.Count);
        var keptCount = 0;
        var errors = 0;
        ValueArray filtered;
        try
        {
            var loop = new ElementLoop(condition, environment);
            for (var i = 0; i < array.Count; i++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var element = array[i];
                if (!loop.TryCondition(element, Value.From((double)i), out var keep, out _)) errors++;
                else if (keep) kept[keptCount++] = element;
            }
            filtered = keptCount == array.Count ? array : new ValueArray(kept.AsSpan(0, keptCount).ToArray());
        }
        finally
        {
            ArrayPool<Value>.Shared.Return(kept, clearArray: true);
        }
        return new(ValueObject.Of(
            ("filtered", filtered),
            ("input_count", Value.FromInteger(array.Count)),
            ("output_count", Value.FromInteger(keptCount)),
            ("skipped_count", Value.FromInteger(array.Count - keptCount)),
            ("error_count", Value.FromInteger(errors)),
            ("condition", condition.Text),
            ("is_array", true)));
    }
}
