using System.Diagnostics;
using System.Text;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Fuzz;

/// <summary>What one fuzz session found.</summary>
/// <param name="Inputs">Inputs tried.</param>
/// <param name="Rejected">Payloads refused with a <see cref="WorkflowException"/> or expressions with an <see cref="ExpressionException"/>.</param>
/// <param name="Runs">Workflows that decoded and ran (successfully or with a named failure).</param>
/// <param name="Unexpected">Inputs that escaped the engine's error handling, with what escaped.</param>
public sealed record FuzzReport(long Inputs, long Rejected, long Runs, IReadOnlyList<(string Input, string Problem)> Unexpected, TimeSpan Duration);

/// <summary>
/// Feeds generated inputs to the payload reader, the expression parser and the node executors and counts what
/// escapes: any exception other than the engine's documented ones, and any run failure whose message is a .NET
/// runtime exception's text (an unhandled bug turned into a node failure).
/// </summary>
public sealed class FuzzRunner
{
    // Texts of runtime exceptions that mean a bug rather than bad input, as they appear in a wrapped node failure.
    private static readonly string[] BugTexts =
    [
        "Object reference not set to an instance of an object", "Index was outside the bounds of the array",
        "Specified argument was out of the range of valid values", "Unable to cast object of type",
        "Arithmetic operation resulted in an overflow", "Nullable object must have a value", "Sequence contains no",
        "Collection was modified", "An item with the same key has already been added", "Non-negative number required",
        "Value cannot be null", "was not present in the dictionary", "Specified method is not supported",
        "Operation is not valid due to the current state of the object", "Attempted to divide by zero",
    ];

    private static readonly ExecutionLimits Limits = ExecutionLimits.Default with
    {
        MaxExecutionTime = TimeSpan.FromMilliseconds(20),
        MaxNodeExecutions = 300,
        MaxLoopIterations = 1_000,
        MaxArrayLength = 1_000,
        MaxStringLength = 64 * 1024,
        MaxResultBytes = 1024 * 1024,
        MaxHttpCalls = 2,
    };

    private readonly WorkflowEngine _engine;
    private readonly PayloadGenerator _generator;

    public FuzzRunner(IReadOnlyList<string> corpus)
    {
        // HTTP is switched off: the fuzzer must never reach the network.
        var http = new OutboundHttp(new OutboundHttpOptions { Enabled = false });
        _engine = new WorkflowEngine(new EngineOptions { Limits = Limits, Http = http, MaxDegreeOfParallelism = 1 });
        _generator = new PayloadGenerator(corpus, [.. NodeRegistry.CreateDefault().Descriptors]);
    }

    /// <summary>
    /// Runs until <paramref name="count"/> inputs or <paramref name="budget"/> wall time, whichever comes first. Inputs
    /// come from <paramref name="workers"/> deterministic streams (seed, seed + 1, …) run side by side, because most of a
    /// run's wall time is spent waiting (delays, deadlines), not computing.
    /// </summary>
    public FuzzReport Run(int seed, long count, TimeSpan budget, int reportEvery = 0, TextWriter? progress = null, int workers = 4) =>
        RunAsync(seed, count, budget, reportEvery, progress, workers).GetAwaiter().GetResult();

    private async Task<FuzzReport> RunAsync(int seed, long count, TimeSpan budget, int reportEvery, TextWriter? progress, int workers)
    {
        var clock = Stopwatch.StartNew();
        var unexpected = new List<(string, string)>();
        long started = 0, rejected = 0, runs = 0, inputs = 0;
        async Task Worker(int stream)
        {
            var random = new Random(seed + stream);
            while (clock.Elapsed < budget)
            {
                var n = Interlocked.Increment(ref started);
                if (n > count) return;
                var (input, problem, outcome) = (n % 3) switch
                {
                    0 => await TryExpressionAsync(_generator.Expression(random)).ConfigureAwait(false),
                    1 => await TryPayloadAsync(_generator.Mutate(random)).ConfigureAwait(false),
                    _ => await TryPayloadAsync(_generator.NodeWorkflow(random)).ConfigureAwait(false),
                };
                if (outcome == Outcome.Rejected) Interlocked.Increment(ref rejected);
                else if (outcome == Outcome.Ran) Interlocked.Increment(ref runs);
                if (problem is not null)
                {
                    lock (unexpected) unexpected.Add((input, problem));
                }
                var done = Interlocked.Increment(ref inputs);
                if (reportEvery > 0 && done % reportEvery == 0)
                    progress?.WriteLine($"{done} inputs, {unexpected.Count} unexpected, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(w => Task.Run(() => Worker(w)))).ConfigureAwait(false);
        return new FuzzReport(inputs, rejected, runs, unexpected, clock.Elapsed);
    }

    /// <summary>How one input ended.</summary>
    public enum Outcome { Rejected, Ran, Parsed, Failed }

    /// <summary>One payload: decode, and when it decodes, run it.</summary>
    public (string Input, string? Problem, Outcome Outcome) TryPayload(string payload) => TryPayloadAsync(payload).GetAwaiter().GetResult();

    /// <summary>One payload, asynchronously.</summary>
    public async Task<(string Input, string? Problem, Outcome Outcome)> TryPayloadAsync(string payload)
    {
        Workflow workflow;
        try
        {
            workflow = _engine.Parse(Encoding.UTF8.GetBytes(payload));
        }
        catch (WorkflowException)
        {
            return (payload, null, Outcome.Rejected);
        }
        catch (Exception ex)
        {
            return (payload, $"Parse threw {ex.GetType().Name}: {ex.Message}", Outcome.Failed);
        }
        try
        {
            var result = await _engine.ExecuteAsync(workflow).ConfigureAwait(false);
            if (result.Error is { } error && BugTexts.FirstOrDefault(t => error.Message.Contains(t, StringComparison.Ordinal)) is { } bug)
                return (payload, $"run failed with a runtime exception's text ({bug}): {error.Message}", Outcome.Failed);
            return (payload, null, Outcome.Ran);
        }
        catch (Exception ex)
        {
            return (payload, $"ExecuteAsync threw {ex.GetType().Name}: {ex.Message}", Outcome.Failed);
        }
    }

    /// <summary>One expression: parse; a parse error is the documented outcome. Parsed ones also run in an expression node.</summary>
    public async Task<(string Input, string? Problem, Outcome Outcome)> TryExpressionAsync(string expression)
    {
        try
        {
            ExpressionEngine.Parse(expression);
        }
        catch (ExpressionException)
        {
            return (expression, null, Outcome.Rejected);
        }
        catch (Exception ex)
        {
            return (expression, $"ExpressionEngine.Parse threw {ex.GetType().Name}: {ex.Message}", Outcome.Failed);
        }
        var payload = $$$"""{"nodes":[{"id":"x","type":"number","data":{"value":3}},{"id":"e","type":"expression","data":{"expression":{{{System.Text.Json.JsonSerializer.Serialize(expression)}}}}}],"edges":[{"source":"x","target":"e"}]}""";
        var (_, problem, outcome) = await TryPayloadAsync(payload).ConfigureAwait(false);
        return (expression, problem, outcome == Outcome.Rejected ? Outcome.Parsed : outcome);
    }
}
