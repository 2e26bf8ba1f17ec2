namespace Thaiyyal.Engine.Nodes.ErrorHandling;

/// <summary>
/// <c>timeout</c>: with body nodes, cancels the body when <c>timeout</c> elapses and then fails or reports a
/// partial result; without, compares an <c>execution_time</c> its input reports against the limit.
/// </summary>
internal sealed class TimeoutNode : ScopeNode<TimeoutNode.Options>
{
    /// <summary>Bound data.</summary>
    /// <param name="Timeout">The limit as written (parsed when the node runs, as the original did).</param>
    /// <param name="Action"><c>error</c> fails on expiry; anything else continues with a partial result.</param>
    public sealed record Options(string Timeout, string Action)
    {
        public bool FailsOnExpiry => Action == "error";
    }

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("timeout", NodeCategories.ErrorHandling, "Timeout",
        "Stops the steps inside it when they take too long; without steps, checks a reported execution_time.",
        [
            new NodeField("timeout", FieldType.Duration, "Timeout", "The time limit, e.g. 30s.", Required: true, Default: "30s"),
            new NodeField("timeout_action", FieldType.String, "On timeout", "Fail, or continue with a partial result.", Default: "error",
                Options: ["error", "continue_with_partial"]),
        ])
    {
        IsScope = true,
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("timeout", "30s"), ("timeout_action", "error")),
    } with { Inference = new(31, ["timeout"]) { AlsoRequired = ["timeout_action"] } };

    protected override Options BindOptions(NodeData data) =>
        new(data.RequiredString("timeout"), data.String("timeout_action") ?? "error");

    protected override ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, Options options)
    {
        var limit = ParseLimit(options);
        if (context.Inputs.Count == 0) throw new NodeExecutionException("timeout node requires at least one input");
        var input = context.Input;
        var reported = input.TryGetObject(out var obj) && obj.TryGetValue("execution_time", out var text) && text.TryGetString(out var s)
            && Compatibility.GoDuration.TryParse(s, out var d) ? d : TimeSpan.Zero;
        return new(Report(input, limit, reported, timedOut: reported > limit, options));
    }

    protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, Options options)
    {
        var limit = ParseLimit(options);
        var clock = body.Context.TimeProvider;
        using var expiry = limit > TimeSpan.Zero ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        if (limit <= TimeSpan.Zero) await expiry.CancelAsync().ConfigureAwait(false);
        var started = clock.GetTimestamp();
        try
        {
            var result = await body.RunOnceAsync(body.Input, expiry.Token).ConfigureAwait(false);
            return Report(result, limit, clock.GetElapsedTime(started), timedOut: false, options);
        }
        // A body node may turn the cancellation into its own failure; once the limit has passed, the timeout is the cause.
        catch (Exception ex) when (ex is OperationCanceledException or NodeExecutionException
            && expiry.IsCancellationRequested
            && !body.Context.CancellationToken.IsCancellationRequested
            && ScopeBody.IsRecoverable(ex))
        {
            return Report(body.Input, limit, clock.GetElapsedTime(started), timedOut: true, options);
        }
    }

    private static TimeSpan ParseLimit(Options options) =>
        Compatibility.GoDuration.TryParse(options.Timeout, out var limit) ? limit : throw new NodeExecutionException($"invalid timeout duration: {options.Timeout}");

    /// <summary>The result object; on expiry fails for action <c>error</c> or marks the result partial.</summary>
    private static Value Report(Value value, TimeSpan limit, TimeSpan elapsed, bool timedOut, Options options)
    {
        if (timedOut && options.FailsOnExpiry)
            throw new NodeExecutionException($"operation timed out after {Compatibility.GoDuration.Format(elapsed)} (limit: {Compatibility.GoDuration.Format(limit)})");
        var result = new Dictionary<string, Value>(6, StringComparer.Ordinal)
        {
            ["value"] = value,
            ["timeout_duration"] = Compatibility.GoDuration.Format(limit),
            ["execution_time"] = Compatibility.GoDuration.Format(elapsed),
            ["timed_out"] = timedOut,
        };
        if (timedOut)
        {
            result["timeout_exceeded"] = true;
            result["partial_result"] = true;
        }
        return new ValueObject(result);
    }
}
