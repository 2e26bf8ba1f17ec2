using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>expression</c>: the value of an expression over the first input (<c>input</c>, <c>item</c>).</summary>
internal sealed class ExpressionNode : NodeExecutor<ExpressionNode.Options>
{
    /// <summary>The expression, parsed once at decode (an empty text means "pass the input on with a warning").</summary>
    public sealed record Options(ParsedExpression? Expression);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("expression", NodeCategories.Operations, "Expression",
        "Computes a value from its input with an expression, e.g. input * 2 or item.price > 100.",
        [new NodeField("expression", FieldType.Expression, "Expression", "Evaluated with input (and item) bound to the first input.",
            Required: true, Default: "input * 2")])
    {
        EditorDefaults = ValueObject.Of(("expression", "input * 2")),
    } with { Inference = new(13, ["expression"]) { NonEmptyString = true } };

    protected override bool IsIndependent(Options options) => options.Expression is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var text = data.RequiredString("expression");
        return new(data.OptionalExpression(text));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("expression node needs at least 1 input");
        var input = context.Input;
        if (options.Expression is null) return new(ValueObject.Of(("result", input), ("warning", "no expression specified")));
        var scope = new ExpressionScope(input, ExpressionEnvironment.For(context));
        return options.Expression.TryEvaluateValue(scope, out var value, out var error)
            ? new(value)
            : throw new NodeExecutionException($"expression evaluation failed: {error.Message}", error);
    }
}
