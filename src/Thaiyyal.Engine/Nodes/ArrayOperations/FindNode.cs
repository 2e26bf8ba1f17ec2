using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>find</c>: the first array element for which a condition holds.</summary>
internal sealed class FindNode : NodeExecutor<FindNode.Options>
{
    /// <summary>The condition (null when empty) and whether to report the match's position.</summary>
    public sealed record Options(ParsedExpression? Condition, bool ReturnIndex);

    public override NodeDescriptor Descriptor { get; } = new("find", NodeCategories.ArrayOperations, "Find",
        "Finds the first element of an array for which a condition holds.",
        [
            new NodeField("condition", FieldType.Expression, "Condition", "Evaluated per element with item, index and items bound.",
                Required: true, Default: "item.id == 1"),
            new NodeField("return_index", FieldType.Boolean, "Return index", "Also report the position of the match.", Default: false),
        ])
    {
        EditorDefaults = ValueObject.Of(("condition", "item.id == 1")),
    };

    protected override bool IsIndependent(Options options) => options.Condition is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var text = data.RequiredString("condition");
        return new(data.OptionalExpression(text), data.Bool("return_index") ?? false);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("find node needs at least 1 input");
        var condition = options.Condition ?? throw new NodeExecutionException("find node missing required 'condition' string");
        var input = context.Input;
        if (!input.TryGetArray(out var array)) return new(ArrayNodeInputs.NotAnArray(input));
        var environment = ExpressionEnvironment.For(context);
        var loop = new ElementLoop(condition, environment, items: input);
        for (var i = 0; i < array.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!loop.TryCondition(array[i], Value.FromInteger(i), out var match, out var error))
                throw new NodeExecutionException($"find condition evaluation failed at index {i}: {error.Message}", error);
            if (!match) continue;
            return new(options.ReturnIndex
                ? ValueObject.Of(("found", array[i]), ("index", Value.FromInteger(i)), ("condition", condition.Text))
                : ValueObject.Of(("found", array[i]), ("condition", condition.Text)));
        }
        return new(ValueObject.Of(
            ("found", Value.Null),
            ("not_found", true),
            ("condition", condition.Text),
            ("input_count", Value.FromInteger(array.Count))));
    }
}
