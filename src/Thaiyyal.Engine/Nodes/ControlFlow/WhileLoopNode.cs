using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ControlFlow;

/// <summary>
/// <c>while_loop</c>: with body nodes, runs the body while its condition holds for the current value, each body
/// result becoming the next value; without, tests the legacy numeric condition on an input that never changes.
/// </summary>
internal sealed class WhileLoopNode : ScopeNode<WhileLoopNode.Options>
{
    private const int DefaultMaxIterations = 100;

    /// <summary>Bound data.</summary>
    /// <param name="Condition">The condition as written (the legacy numeric form without body).</param>
    /// <param name="Parsed">The condition in the expression language, for loops with a body.</param>
    /// <param name="MaxIterations">Most body runs (values ≤ 0 mean the default 100).</param>
    public sealed record Options(string Condition, ParsedExpression Parsed, int MaxIterations);

    public override NodeDescriptor Descriptor { get; } = new("while_loop", NodeCategories.ControlFlow, "While Loop",
        "Runs the steps inside it while a condition holds, feeding each result back in.",
        [
            new NodeField("condition", FieldType.Expression, "Condition",
                "Tested before each run on the current value, e.g. input < 100 or >0.", Required: true, Default: ">0"),
            new NodeField("max_iterations", FieldType.Integer, "Max iterations", "Most runs; the loop fails if the condition still holds.",
                Default: DefaultMaxIterations),
        ])
    {
        IsScope = true,
        EditorDefaults = ValueObject.Of(("condition", ">0"), ("max_iterations", DefaultMaxIterations)),
    };

    protected override Options BindOptions(NodeData data)
    {
        var condition = data.RequiredString("condition");
        var max = data.Integer("max_iterations") ?? 0;
        return new Options(condition, data.Expression(condition), max <= 0 ? DefaultMaxIterations : (int)Math.Min(max, int.MaxValue));
    }

    /// <summary>The original never changed the value, so the loop either ends at once or runs into its cap.</summary>
    protected override ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("while_loop node needs at least 1 input");
        if (LegacyCondition.Evaluate(options.Condition, context.Input)) throw Exceeded(options);
        return new(Result(context.Input, 0, options));
    }

    protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, Options options)
    {
        if (body.Context.Inputs.Count == 0) throw new NodeExecutionException("while_loop node needs at least 1 input");
        var environment = ExpressionEnvironment.For(body.Context);
        var value = body.Input;
        var iterations = 0;
        while (Holds(options, value, iterations, environment))
        {
            if (iterations >= options.MaxIterations) throw Exceeded(options);
            try
            {
                value = await body.RunIterationAsync(iterations, value, ScopeBody.LoopVariables(value, iterations)).ConfigureAwait(false);
            }
            catch (NodeFailedException ex)
            {
                throw new NodeExecutionException($"iteration {iterations}: {ex.Message}", ex);
            }
            iterations++;
        }
        return Result(value, iterations, options);
    }

    /// <summary>
    /// The condition in the expression language with <c>input</c>/<c>item</c> the current value and
    /// <c>index</c>/<c>iteration</c> the runs so far; text that does not parse is read as the legacy numeric form.
    /// </summary>
    private static bool Holds(Options options, Value value, int iterations, ExpressionEnvironment environment)
    {
        if (options.Parsed.ParseError is not null) return LegacyCondition.Evaluate(options.Condition, value);
        var count = Value.From(iterations);
        var scope = new ExpressionScope(value, environment)
            .WithItem(value, count)
            .WithBindings(new Dictionary<string, Value>(1, StringComparer.Ordinal) { ["iteration"] = count });
        return options.Parsed.TryEvaluateBoolean(scope, out var holds, out var error)
            ? holds
            : throw new NodeExecutionException($"while_loop condition evaluation failed: {error.Message}", error);
    }

    private static NodeExecutionException Exceeded(Options options) => new($"while_loop exceeded max iterations: {options.MaxIterations}");

    private static Value Result(Value value, int iterations, Options options) =>
        ValueObject.Of(("final_value", value), ("iterations", Value.FromInteger(iterations)), ("condition", options.Condition));
}
