using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ControlFlow;

/// <summary><c>condition</c>: evaluates a condition on the first input and activates its <c>true</c> or <c>false</c> output.</summary>
internal sealed class ConditionNode : NodeExecutor<ConditionNode.Options>
{
    /// <summary>The condition, parsed once at decode.</summary>
    public sealed record Options(ParsedExpression Condition);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("condition", NodeCategories.ControlFlow, "Condition",
        "Tests its input (e.g. >= 18, or input.status == 'paid') and continues on the true or the false output.",
        [
            new NodeField("condition", FieldType.Expression, "Condition", "A condition; a leading operator (>= 18) compares the input.",
                Required: true, Default: ">0"),
            new NodeField("true_path", FieldType.String, "True label", "Label of the true output (informational)."),
            new NodeField("false_path", FieldType.String, "False label", "Label of the false output (informational)."),
        ])
    {
        Outputs = [new("true", "true"), new("false", "false")],
        EditorDefaults = ValueObject.Of(("condition", ">0")),
    } with { Inference = new(10, ["condition"]) { AlsoRequired = ["true_path"] } };

    protected override bool IsIndependent(Options options) => !options.Condition.ReadsSharedState;

    protected override Options BindOptions(NodeData data) => new(data.Expression(data.RequiredString("condition")));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("condition node needs at least 1 input");
        var input = context.Input;
        var scope = new ExpressionScope(input, ExpressionEnvironment.For(context));
        if (!options.Condition.TryEvaluateBoolean(scope, out var met, out var error))
            throw new NodeExecutionException($"condition evaluation failed: {error.Message}", error);
        return new(ValueObject.Of(
            ("value", input),
            ("condition_met", met),
            ("condition", options.Condition.Text),
            ("path", met ? "true" : "false"),
            ("true_path", met),
            ("false_path", !met)));
    }
}
