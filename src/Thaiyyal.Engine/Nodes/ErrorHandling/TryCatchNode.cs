using System.Runtime.ExceptionServices;

namespace Thaiyyal.Engine.Nodes.ErrorHandling;

/// <summary>
/// <c>try_catch</c>: with body nodes, runs the body once and replaces a failure (a failing body node, or an
/// error object as its result) by <c>fallback_value</c>; without, does the same for an error object input.
/// </summary>
internal sealed class TryCatchNode : ScopeNode<TryCatchNode.Options>
{
    /// <summary>Bound data.</summary>
    /// <param name="FallbackValue">The <c>value</c> reported when an error was caught.</param>
    /// <param name="ContinueOnError">False: a caught error fails the node instead.</param>
    /// <param name="ErrorOutputPath">Copied into the result when an error was caught.</param>
    public sealed record Options(Value FallbackValue, bool ContinueOnError, string? ErrorOutputPath);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("try_catch", NodeCategories.ErrorHandling, "Try / Catch",
        "Runs the steps inside it and replaces a failure by a fallback value; without steps, catches an error object input.",
        [
            new NodeField("fallback_value", FieldType.Any, "Fallback value", "The value reported when an error is caught."),
            new NodeField("continue_on_error", FieldType.Boolean, "Continue on error", "Off: a caught error fails the workflow.", Default: true),
            new NodeField("error_output_path", FieldType.String, "Error output path", "Label copied into the result when an error is caught."),
        ])
    {
        IsScope = true,
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("continue_on_error", true)),
    } with { Inference = new(29, ["fallback_value", "continue_on_error"]) };

    protected override Options BindOptions(NodeData data) =>
        new(data.Get("fallback_value"), data.Bool("continue_on_error") ?? true, data.String("error_output_path"));

    protected override ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("try-catch node requires at least one input");
        return ErrorObject.TryGet(context.Input, out var error)
            ? new(Caught(ErrorObject.GenericMessage(error), options))
            : new(NotCaught(context.Input));
    }

    protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, Options options)
    {
        var outcome = await body.TryRunOnceAsync(body.Input).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            return ErrorObject.TryGet(outcome.Result, out var error)
                ? Caught(ErrorObject.GenericMessage(error), options)
                : NotCaught(outcome.Result);
        }
        // Re-raise the body's own failure so the error still names the body node that failed.
        if (!options.ContinueOnError) ExceptionDispatchInfo.Throw(outcome.Exception!);
        return Caught(outcome.Error!, options);
    }

    private static Value NotCaught(Value value) => ValueObject.Of(("value", value), ("error_caught", false));

    private static Value Caught(string message, Options options)
    {
        if (!options.ContinueOnError) throw new NodeExecutionException($"error caught: {message}");
        var result = new Dictionary<string, Value>(4, StringComparer.Ordinal)
        {
            ["value"] = options.FallbackValue,
            ["error_caught"] = true,
            ["error_message"] = message,
        };
        if (!string.IsNullOrEmpty(options.ErrorOutputPath)) result["error_output_path"] = options.ErrorOutputPath;
        return new ValueObject(result);
    }
}
