namespace Thaiyyal.Engine.Nodes;

/// <summary>The outcome of one body run that a policy may recover from: a result, or the failure's text.</summary>
/// <param name="Result">The body's result when it succeeded.</param>
/// <param name="Error">The failure's text (the failing body node named), or null on success.</param>
/// <param name="Exception">The failure, for re-raising it unchanged.</param>
internal readonly record struct BodyOutcome(Value Result, string? Error, NodeExecutionException? Exception)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// What a scope policy needs around <see cref="NodeContext.RunBodyAsync"/>: loops (<see cref="RunIterationAsync"/>,
/// counted against the loop limit, events stamped with the iteration) versus single guarded runs
/// (<see cref="RunOnceAsync"/>), loop variables, telling recoverable body failures from run-stopping ones
/// (limits, cancellation), sleeping.
/// </summary>
internal sealed class ScopeBody(NodeContext context)
{
    public NodeContext Context { get; } = context;

    /// <summary>The scope node's first input: what the body's entry nodes receive.</summary>
    public Value Input => Context.Input;

    /// <summary>
    /// Runs body iteration <paramref name="iteration"/> (0-based) of a loop: counts it against
    /// <see cref="ExecutionLimits.MaxLoopIterations"/> and stamps the body's events with it.
    /// </summary>
    public Task<Value> RunIterationAsync(int iteration, Value input, IReadOnlyDictionary<string, Value>? variables = null)
    {
        Context.CountLoopIterations();
        return Context.RunBodyAsync(input, variables, iteration);
    }

    /// <summary>
    /// Runs the body once, as a guard rather than a loop (<c>try_catch</c>, <c>timeout</c>): only the body's node
    /// executions count, not a loop iteration.
    /// </summary>
    public Task<Value> RunOnceAsync(Value input, CancellationToken cancellationToken = default) =>
        Context.RunBodyAsync(input, null, null, cancellationToken);

    /// <summary><see cref="RunIterationAsync"/>, capturing a body node's failure (limits and cancellation still throw).</summary>
    public Task<BodyOutcome> TryRunIterationAsync(int iteration, Value input, IReadOnlyDictionary<string, Value>? variables = null) =>
        CaptureAsync(RunIterationAsync(iteration, input, variables));

    /// <summary><see cref="RunOnceAsync"/>, capturing a body node's failure (limits and cancellation still throw).</summary>
    public Task<BodyOutcome> TryRunOnceAsync(Value input) => CaptureAsync(RunOnceAsync(input));

    private static async Task<BodyOutcome> CaptureAsync(Task<Value> run)
    {
        try
        {
            return new BodyOutcome(await run.ConfigureAwait(false), null, null);
        }
        catch (NodeExecutionException ex) when (IsRecoverable(ex))
        {
            return new BodyOutcome(default, ex.Message, ex);
        }
    }

    /// <summary>False for limit breaches anywhere in the chain: they end the run, whatever scope they happen in.</summary>
    public static bool IsRecoverable(Exception exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is ExecutionLimitException) return false;
        }
        return true;
    }

    /// <summary>The variables a loop binds for its body's expressions.</summary>
    public static IReadOnlyDictionary<string, Value> LoopVariables(Value item, int index) =>
        new Dictionary<string, Value>(2, StringComparer.Ordinal)
        {
            ["item"] = item,
            ["index"] = Value.From(index),
        };

    /// <summary>Sleeps on the run's clock; wakes at once when the run is cancelled.</summary>
    public Task SleepAsync(TimeSpan duration) => NodeClock.SleepAsync(Context, duration);
}
