using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>Runs payloads written with single quotes (<c>{'id':'a'}</c>) on an engine that also knows the test node types below.</summary>
internal static class ScopeTestSupport
{
    public static WorkflowEngine NewEngine(TimeProvider? clock = null, int parallelism = 1, ExecutionLimits? limits = null)
    {
        var engine = new WorkflowEngine(new EngineOptions
        {
            MaxDegreeOfParallelism = parallelism,
            TimeProvider = clock ?? TimeProvider.System,
            Limits = limits ?? ExecutionLimits.Default,
        });
        engine.Registry.Register(new SquareNode()).Register(new FlakyNode()).Register(new RaiseNode())
            .Register(new LoopVariablesNode()).Register(new SumNode()).Register(new AddNode())
            .Register(new ConstNode()).Register(new RendezvousNode());
        return engine;
    }

    public static string Json(string singleQuoted) => singleQuoted.Replace('\'', '"');

    public static Task<ExecutionResult> RunAsync(string singleQuotedPayload, WorkflowEngine? engine = null, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        engine ??= NewEngine();
        return engine.ExecuteAsync(engine.Parse(Json(singleQuotedPayload)), options, cancellationToken);
    }

    /// <summary>A node's result as JSON text (sorted keys).</summary>
    public static string ResultOf(ExecutionResult result, string nodeId)
    {
        Assert.True(result.Success, result.Error?.Message);
        Assert.True(result.NodeResults.TryGetValue(nodeId, out var value), $"no result for {nodeId}");
        return ValueJson.Serialize(value);
    }

    public static string Error(ExecutionResult result)
    {
        Assert.False(result.Success, "the run succeeded");
        return result.Error!.Message;
    }
}

/// <summary>
/// A fake clock whose timers the test can wait for: every timer the engine creates (sleeps, timeouts) is
/// reported on <see cref="Timers"/> with its due time, so a test advances exactly past it.
/// Tests disable the run deadline (MaxExecutionTime 0) so the only timers are the nodes' own.
/// </summary>
internal sealed class SteppedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SteppedClock() : base(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer the engine creates (waits for it, at most 30 s of real time).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _timers.Reader.ReadAsync(guard.Token);
    }

    /// <summary>True when a timer was created and not yet taken by <see cref="NextTimerAsync"/>.</summary>
    public bool HasPendingTimer => _timers.Reader.TryPeek(out _);
}

/// <summary>Records node events with their timestamps.</summary>
internal sealed class RecordingObserver : ExecutionObserver
{
    public ConcurrentQueue<NodeEvent> Events { get; } = new();

    public Action<NodeStartedEvent>? Started { get; init; }

    public override void OnNodeStarted(NodeStartedEvent e)
    {
        Events.Enqueue(e);
        Started?.Invoke(e);
    }

    public override void OnNodeCompleted(NodeCompletedEvent e) => Events.Enqueue(e);

    public override void OnNodeFailed(NodeFailedEvent e) => Events.Enqueue(e);

    public override void OnNodeCancelled(NodeCancelledEvent e) => Events.Enqueue(e);

    public T Single<T>(string nodeId) where T : NodeEvent => Events.OfType<T>().Single(e => e.NodeId == nodeId);
}

internal sealed record NoOptions
{
    public static NoOptions Instance { get; } = new();
}

/// <summary><c>test_square</c>: its numeric input squared.</summary>
internal sealed class SquareNode : NodeExecutor<NoOptions>
{
    public override NodeDescriptor Descriptor { get; } = new("test_square", NodeCategories.Custom, "Square", "x²", []);

    protected override bool IsIndependent(NoOptions options) => true;

    protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, NoOptions options) =>
        context.Input.TryGetNumber(out var n) ? new(Value.From(n * n)) : throw new NodeExecutionException($"cannot square {context.Input.GoTypeName}");
}

/// <summary><c>test_add</c>: its numeric input plus <c>amount</c>.</summary>
internal sealed class AddNode : NodeExecutor<AddNode.Options>
{
    public sealed record Options(double Amount);

    public override NodeDescriptor Descriptor { get; } = new("test_add", NodeCategories.Custom, "Add", "x + amount",
        [new NodeField("amount", FieldType.Number, "Amount")]);

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.Number("amount") ?? 1);

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
        context.Input.TryGetNumber(out var n) ? new(Value.From(n + options.Amount)) : throw new NodeExecutionException($"cannot add to {context.Input.GoTypeName}");
}

/// <summary><c>test_sum</c>: the sum of its numeric array input.</summary>
internal sealed class SumNode : NodeExecutor<NoOptions>
{
    public override NodeDescriptor Descriptor { get; } = new("test_sum", NodeCategories.Custom, "Sum", "Σ", []);

    protected override bool IsIndependent(NoOptions options) => true;

    protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, NoOptions options) =>
        new(Value.From(context.Input.AsArray().Sum(v => v.AsNumber())));
}

/// <summary><c>test_raise</c>: fails with <c>message</c>, or returns <c>{"error": message}</c> when <c>soft</c>.</summary>
internal sealed class RaiseNode : NodeExecutor<RaiseNode.Options>
{
    public sealed record Options(string Message, bool Soft);

    public override NodeDescriptor Descriptor { get; } = new("test_raise", NodeCategories.Custom, "Fail", "Always fails",
        [new NodeField("message", FieldType.String, "Message"), new NodeField("soft", FieldType.Boolean, "Soft")]);

    protected override Options BindOptions(NodeData data) => new(data.String("message") ?? "boom", data.Bool("soft") ?? false);

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
        options.Soft ? new(ValueObject.Of(("error", options.Message))) : throw new NodeExecutionException(options.Message);
}

/// <summary><c>test_flaky</c>: fails with <c>message</c> for its first <c>failures</c> executions in a run, then passes its input on.</summary>
internal sealed class FlakyNode : NodeExecutor<FlakyNode.Options>
{
    public sealed record Options(int Failures, string Message);

    public override NodeDescriptor Descriptor { get; } = new("test_flaky", NodeCategories.Custom, "Flaky", "Fails a few times",
        [new NodeField("failures", FieldType.Integer, "Failures"), new NodeField("message", FieldType.String, "Message")]);

    protected override Options BindOptions(NodeData data) => new((int)(data.Integer("failures") ?? 1), data.String("message") ?? "flaky failure");

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var calls = (StrongBox<int>)context.State.NodeMemory.GetOrAdd(context.NodeId, _ => new StrongBox<int>());
        var call = Interlocked.Increment(ref calls.Value);
        return call <= options.Failures
            ? throw new NodeExecutionException($"{options.Message} (call {call})")
            : new(ValueObject.Of(("value", context.Input), ("call", call)));
    }
}

/// <summary><c>test_vars</c>: its input with the scope variables it sees (<c>item</c>, <c>index</c>).</summary>
internal sealed class LoopVariablesNode : NodeExecutor<NoOptions>
{
    public override NodeDescriptor Descriptor { get; } = new("test_vars", NodeCategories.Custom, "Vars", "Shows scope variables", []);

    protected override bool IsIndependent(NoOptions options) => true;

    protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, NoOptions options)
    {
        var vars = context.ScopeVariables;
        return new(ValueObject.Of(
            ("input", context.Input),
            ("item", vars is not null && vars.TryGetValue("item", out var item) ? item : default),
            ("index", vars is not null && vars.TryGetValue("index", out var index) ? index : default)));
    }
}

/// <summary><c>test_value</c>: outputs its <c>value</c> (any JSON).</summary>
internal sealed class ConstNode : NodeExecutor<ConstNode.Options>
{
    public sealed record Options(Value Value);

    public override NodeDescriptor Descriptor { get; } = new("test_value", NodeCategories.Custom, "Value", "A constant", [new NodeField("value", FieldType.Any, "Value")])
    {
        MinInputs = 0,
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.Get("value"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) => new(options.Value);
}

/// <summary>
/// <c>test_rendezvous</c>: waits until <c>parties</c> executions of it are in flight at once (or 10 s pass, then
/// fails), and records the most it saw in flight. Proves that executions overlap without timing thresholds.
/// </summary>
internal sealed class RendezvousNode : NodeExecutor<RendezvousNode.Options>
{
    public sealed record Options(int Parties);

    public static ConcurrentDictionary<string, int> MaxInFlight { get; } = new();

    public override NodeDescriptor Descriptor { get; } = new("test_rendezvous", NodeCategories.Custom, "Rendezvous", "Waits for company",
        [new NodeField("parties", FieldType.Integer, "Parties")]);

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new((int)(data.Integer("parties") ?? 1));

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var state = (State)context.State.NodeMemory.GetOrAdd(context.NodeId, _ => new State());
        int now;
        lock (state)
        {
            now = ++state.InFlight;
            state.Max = Math.Max(state.Max, now);
            MaxInFlight[context.ExecutionId + "/" + context.NodeId] = state.Max;
            if (now >= options.Parties) state.Everyone.TrySetResult();
        }
        try
        {
            if (options.Parties > 1)
            {
                try
                {
                    await state.Everyone.Task.WaitAsync(TimeSpan.FromSeconds(10), context.CancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new NodeExecutionException($"only {state.Max} of {options.Parties} arrived");
                }
            }
            else
            {
                await Task.Delay(5, context.CancellationToken);
            }
            return context.Input;
        }
        finally
        {
            lock (state) state.InFlight--;
        }
    }

    private sealed class State
    {
        public int InFlight;
        public int Max;
        public TaskCompletionSource Everyone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
