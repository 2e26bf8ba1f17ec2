namespace Thaiyyal.Engine.Nodes.ErrorHandling;

/// <summary>
/// <c>retry</c>: with body nodes, runs the body again after a failure (a failing body node, or an error
/// object as its result) up to <c>max_attempts</c> times with back-off; without, checks its input for an
/// error object the original engine's way.
/// </summary>
internal sealed class RetryNode : ScopeNode<RetryNode.Options>
{
    /// <summary>Bound data.</summary>
    /// <param name="MaxAttempts">Runs in all (values ≤ 0 mean 1).</param>
    /// <param name="BackoffStrategy"><c>exponential</c>, <c>linear</c>; anything else waits a constant time.</param>
    /// <param name="InitialDelay">Wait after the first failure.</param>
    /// <param name="MaxDelay">Longest wait.</param>
    /// <param name="Multiplier">Growth factor of the exponential strategy.</param>
    /// <param name="RetryOnErrors">Only errors containing one of these texts are retried (empty: all).</param>
    public sealed record Options(int MaxAttempts, string BackoffStrategy, TimeSpan InitialDelay, TimeSpan MaxDelay, double Multiplier, IReadOnlyList<string> RetryOnErrors)
    {
        /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based), capped at <see cref="MaxDelay"/>.</summary>
        public TimeSpan DelayAfter(int attempt)
        {
            double ticks = InitialDelay.Ticks;
            ticks = BackoffStrategy switch
            {
                "exponential" => ticks * Math.Pow(Multiplier, attempt - 1),
                "linear" => ticks * attempt,
                _ => ticks,
            };
            if (double.IsNaN(ticks) || ticks >= MaxDelay.Ticks) return MaxDelay;
            return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>True when <paramref name="message"/> may be retried.</summary>
        public bool Retries(string message) =>
            RetryOnErrors.Count == 0 || RetryOnErrors.Any(e => message.Contains(e, StringComparison.Ordinal));
    }

    public override NodeDescriptor Descriptor { get; } = new("retry", NodeCategories.ErrorHandling, "Retry",
        "Runs the steps inside it again when they fail, waiting longer each time; without steps, checks its input for an error.",
        [
            new NodeField("max_attempts", FieldType.Integer, "Max attempts", "Runs in all, the first included.", Default: 3),
            new NodeField("backoff_strategy", FieldType.String, "Back-off", "How the wait grows between attempts.", Default: "exponential",
                Options: ["exponential", "linear", "constant"]),
            new NodeField("initial_delay", FieldType.Duration, "Initial delay", "Wait after the first failure, e.g. 1s.", Default: "1s"),
            new NodeField("max_delay", FieldType.Duration, "Max delay", "Longest wait between attempts.", Default: "30s"),
            new NodeField("multiplier", FieldType.Number, "Multiplier", "Growth factor of the exponential back-off.", Default: 2),
            new NodeField("retry_on_errors", FieldType.StringArray, "Retry on errors", "Retry only errors containing one of these texts."),
        ])
    {
        IsScope = true,
        MinInputs = 0,
        EditorDefaultFields = ["max_attempts", "backoff_strategy", "initial_delay"],
        Inference = new(27, ["max_attempts", "backoff_strategy"]),
    };

    protected override Options BindOptions(NodeData data)
    {
        // Every default comes from the field declarations above.
        var attempts = data.IntegerOrDefault("max_attempts");
        return new Options(
            attempts <= 0 ? 1 : (int)Math.Min(attempts, int.MaxValue),
            data.StringOrDefault("backoff_strategy")!,
            data.DurationOrDefault("initial_delay"),
            data.DurationOrDefault("max_delay"),
            data.NumberOrDefault("multiplier"),
            data.Strings("retry_on_errors") ?? []);
    }

    protected override async ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("retry node requires at least one input");
        var input = context.Input;
        for (var attempt = 1; ; attempt++)
        {
            if (!ErrorObject.TryGet(input, out var error)) return Success(input, attempt);
            await GiveUpOrWaitAsync(context, options, attempt, ErrorObject.StringMessage(error), null).ConfigureAwait(false);
        }
    }

    protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, Options options)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await body.TryRunIterationAsync(attempt - 1, body.Input).ConfigureAwait(false);
            if (outcome.Succeeded && !ErrorObject.TryGet(outcome.Result, out _)) return Success(outcome.Result, attempt);
            var message = outcome.Error ?? (ErrorObject.TryGet(outcome.Result, out var error) ? ErrorObject.StringMessage(error) : "");
            await GiveUpOrWaitAsync(body.Context, options, attempt, message, outcome.Exception).ConfigureAwait(false);
        }
    }

    /// <summary>Fails when the error is not retried or the attempts are used up; otherwise sleeps the back-off.</summary>
    private static Task GiveUpOrWaitAsync(NodeContext context, Options options, int attempt, string message, Exception? cause)
    {
        if (!options.Retries(message)) throw Failure($"error not in retry list: {message}", cause);
        if (attempt >= options.MaxAttempts) throw Failure($"max retry attempts ({options.MaxAttempts}) reached: {message}", cause);
        return NodeClock.SleepAsync(context, options.DelayAfter(attempt));
    }

    private static NodeExecutionException Failure(string message, Exception? cause) =>
        cause is null ? new NodeExecutionException(message) : new NodeExecutionException(message, cause);

    private static Value Success(Value value, int attempt) =>
        ValueObject.Of(("value", value), ("attempts", Value.FromInteger(attempt)), ("success", true));
}
