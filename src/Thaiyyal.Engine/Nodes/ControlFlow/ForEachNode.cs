using System.Runtime.ExceptionServices;

namespace Thaiyyal.Engine.Nodes.ControlFlow;

/// <summary>
/// <c>for_each</c>: with body nodes, runs the body once per element of its input array and returns the
/// body results in input order; without, only counts the elements (the original engine's behaviour).
/// </summary>
internal sealed class ForEachNode : ScopeNode<ForEachNode.Options>
{
    private const int DefaultMaxIterations = 1000;

    /// <summary>Bound data.</summary>
    /// <param name="MaxIterations">Largest array accepted (values ≤ 0 mean the default 1000).</param>
    /// <param name="MaxConcurrency">How many body runs may be in flight at once (values ≤ 1 mean one after another).</param>
    public sealed record Options(int MaxIterations, int MaxConcurrency);

    /// <summary>Object keys under which <c>filter</c> finds a wrapped array, in the order it looks.</summary>
    private static readonly string[] WrapperKeys = ["range", "array", "items", "data", "values"];

    public override NodeDescriptor Descriptor { get; } = new("for_each", NodeCategories.ControlFlow, "For Each",
        "Runs the steps inside it once per element of the input array; without steps, counts the elements.",
        [
            new NodeField("max_iterations", FieldType.Integer, "Max iterations", "Largest array accepted; bigger inputs fail the node.", Default: DefaultMaxIterations),
            new NodeField("max_concurrency", FieldType.Integer, "Max concurrency", "Elements processed at the same time (at most the engine's parallelism); results keep the input order.", Default: 1),
        ])
    {
        IsScope = true,
        EditorDefaults = ValueObject.Of(("max_iterations", DefaultMaxIterations)),
    };

    protected override Options BindOptions(NodeData data)
    {
        var max = data.Integer("max_iterations") ?? 0;
        var concurrency = data.Integer("max_concurrency") ?? 1;
        return new Options(
            max <= 0 ? DefaultMaxIterations : (int)Math.Min(max, int.MaxValue),
            (int)Math.Clamp(concurrency, 1, 1024));
    }

    protected override ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("for_each node needs at least 1 input");
        if (!context.Input.TryGetArray(out var items))
            throw new NodeExecutionException($"for_each node requires array input, got {context.Input.GoTypeName}");
        CheckCount(items.Count, options);
        var n = Value.FromInteger(items.Count);
        return new(ValueObject.Of(("input_count", n), ("iterations", n), ("successful", n), ("failed", Value.FromInteger(0))));
    }

    protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, Options options)
    {
        if (body.Context.Inputs.Count == 0) throw new NodeExecutionException("for_each node needs at least 1 input");
        var items = Unwrap(body.Input)
            ?? throw new NodeExecutionException($"for_each node requires array input, got {body.Input.GoTypeName}");
        CheckCount(items.Count, options);
        var results = new Value[items.Count];
        if (options.MaxConcurrency <= 1 || items.Count <= 1 || body.Context.MaxDegreeOfParallelism <= 1)
        {
            for (var i = 0; i < items.Count; i++) results[i] = await RunItemAsync(body, items[i], i).ConfigureAwait(false);
        }
        else
        {
            await RunConcurrentlyAsync(body, items, results, options.MaxConcurrency).ConfigureAwait(false);
        }
        return new ValueArray(results);
    }

    /// <summary>
    /// Workers take elements in input order and stop taking new ones after a failure. Every element before a
    /// failed one was already taken and runs to the end, so the reported failure is the first in input
    /// order, the same one a sequential run reports.
    /// </summary>
    private static async Task RunConcurrentlyAsync(ScopeBody body, ValueArray items, Value[] results, int maxConcurrency)
    {
        var next = -1;
        var failedIndex = int.MaxValue;
        Exception? failure = null;
        var gate = new Lock();

        async Task WorkAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= items.Count || Volatile.Read(ref failedIndex) != int.MaxValue) return;
                try
                {
                    results[i] = await RunItemAsync(body, items[i], i).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    lock (gate)
                    {
                        if (i < failedIndex)
                        {
                            failure = ex;
                            Volatile.Write(ref failedIndex, i);
                        }
                    }
                }
            }
        }

        // A payload may ask for up to 1,024 elements at once; the engine's degree of parallelism is the real ceiling.
        var workers = new Task[Math.Min(Math.Min(maxConcurrency, items.Count), body.Context.MaxDegreeOfParallelism)];
        for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(WorkAsync);
        await Task.WhenAll(workers).ConfigureAwait(false);
        body.Context.CancellationToken.ThrowIfCancellationRequested();
        // Rethrown with its original stack trace.
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    private static async Task<Value> RunItemAsync(ScopeBody body, Value item, int index)
    {
        try
        {
            return await body.RunIterationAsync(index, item, ScopeBody.LoopVariables(item, index)).ConfigureAwait(false);
        }
        catch (NodeFailedException ex)
        {
            throw new NodeExecutionException($"item {index}: {ex.Message}", ex);
        }
    }

    private static void CheckCount(int count, Options options)
    {
        if (count > options.MaxIterations)
            throw new NodeExecutionException($"for_each exceeds max iterations: {count} > {options.MaxIterations}");
    }

    /// <summary>A plain array, or the array <c>filter</c> would unwrap from a wrapper object; null otherwise.</summary>
    private static ValueArray? Unwrap(Value input)
    {
        if (input.TryGetArray(out var array)) return array;
        if (!input.TryGetObject(out var obj)) return null;
        foreach (var key in WrapperKeys)
        {
            if (obj.TryGetValue(key, out var inner) && inner.TryGetArray(out var wrapped)) return wrapped;
        }
        return null;
    }
}
