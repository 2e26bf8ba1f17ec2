using System.Collections.Concurrent;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Execution;

/// <summary>Everything one run shares across its nodes and scope bodies: limits, counters, state, observer.</summary>
internal sealed class RunContext(
    string executionId,
    string? workflowId,
    ExecutionLimits limits,
    int maxDegreeOfParallelism,
    ExecutionObserver? observer,
    IServiceProvider? services,
    TimeProvider timeProvider,
    CancellationToken cancellationToken)
{
    private int _nodeExecutions;
    private int _loopIterations;
    private int _httpCalls;
    private long _resultBytes;

    public string ExecutionId { get; } = executionId;
    public string? WorkflowId { get; } = workflowId;
    public ExecutionLimits Limits { get; } = limits;
    public int MaxDegreeOfParallelism { get; } = maxDegreeOfParallelism;
    public ExecutionObserver? Observer { get; } = observer;
    public IServiceProvider? Services { get; } = services;
    public TimeProvider TimeProvider { get; } = timeProvider;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    private WorkflowState? _state;

    /// <summary>The run's variables, context values, cache and node memory; created on first use (most runs touch none).</summary>
    public WorkflowState State => _state ?? Interlocked.CompareExchange(ref _state, new WorkflowState(), null) ?? _state;
    public OutboundHttp Http { get; init; } = OutboundHttp.Default;
    public IReadOnlyDictionary<string, Value>? PinnedResults { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<Value>>? PinnedIterationResults { get; init; }
    public Random Random { get; init; } = Random.Shared;

    public int NodeExecutions => Volatile.Read(ref _nodeExecutions);

    public void CountNodeExecution()
    {
        var count = Interlocked.Increment(ref _nodeExecutions);
        if (Limits.MaxNodeExecutions > 0 && count > Limits.MaxNodeExecutions)
            throw new ExecutionLimitException("node_executions", $"maximum node executions exceeded: {count} (limit: {Limits.MaxNodeExecutions})");
    }

    public void CountLoopIterations(int iterations)
    {
        var count = Interlocked.Add(ref _loopIterations, iterations);
        if (Limits.MaxLoopIterations > 0 && count > Limits.MaxLoopIterations)
            throw new ExecutionLimitException("loop_iterations", $"maximum loop iterations exceeded: {count} (limit: {Limits.MaxLoopIterations})");
    }

    public void CountHttpCall()
    {
        var count = Interlocked.Increment(ref _httpCalls);
        if (Limits.MaxHttpCalls > 0 && count > Limits.MaxHttpCalls)
            throw new ExecutionLimitException("http_calls", $"maximum HTTP calls per execution exceeded: {count} (limit: {Limits.MaxHttpCalls})");
    }

    // Created when an observed node first waits: most runs never wait.
    private ConcurrentDictionary<PendingWait, byte>? _waits;

    private ConcurrentDictionary<PendingWait, byte> Waits =>
        _waits ?? Interlocked.CompareExchange(ref _waits, new ConcurrentDictionary<PendingWait, byte>(), null) ?? _waits;

    /// <summary>Registers an observed node that is waiting; <paramref name="onCancelled"/> reports it if the run abandons it.</summary>
    public PendingWait BeginWait(Action onCancelled)
    {
        var wait = new PendingWait(this, onCancelled);
        Waits.TryAdd(wait, 0);
        return wait;
    }

    /// <summary>
    /// Reports every node still waiting as cancelled. The engine calls this when the run is cancelled, before the run's
    /// own failure event, so an observer sees each abandoned node's end first (the nodes' own catch may come later).
    /// </summary>
    public void CancelPendingWaits()
    {
        if (Volatile.Read(ref _waits) is not { } waits) return;
        foreach (var wait in waits.Keys) wait.Cancel();
    }

    /// <summary>One waiting node: ends exactly once, either normally (silently) or as cancelled (reported).</summary>
    internal sealed class PendingWait(RunContext run, Action onCancelled)
    {
        private int _ended;

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            run.Waits.TryRemove(this, out _);
            onCancelled();
        }

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) run.Waits.TryRemove(this, out _);
        }
    }

    /// <summary>Checks a node's result against the array and string limits and adds its size to the run's result bytes.</summary>
    public void CountResult(Value result)
    {
        if (result.Kind is not (ValueKind.Array or ValueKind.Object or ValueKind.String))
        {
            if (Limits.MaxResultBytes > 0 && Interlocked.Add(ref _resultBytes, 8) > Limits.MaxResultBytes) ThrowResultSize();
            return;
        }
        var budget = Limits.MaxResultBytes > 0 ? Math.Max(0, Limits.MaxResultBytes - Volatile.Read(ref _resultBytes)) : long.MaxValue;
        var size = ResultSize.Measure(result, budget, Limits);
        if (Limits.MaxResultBytes > 0 && Interlocked.Add(ref _resultBytes, size) > Limits.MaxResultBytes) ThrowResultSize();
    }

    /// <summary>Bytes of node results counted so far (0 when <see cref="ExecutionLimits.MaxResultBytes"/> is 0: nothing is counted).</summary>
    public long ResultBytes => Volatile.Read(ref _resultBytes);

    private void ThrowResultSize() =>
        throw new ExecutionLimitException("result_bytes", $"result size exceeded: node results passed {Limits.MaxResultBytes} bytes (limit: {Limits.MaxResultBytes})");

    public void Notify<TEvent>(TEvent e, Action<ExecutionObserver, TEvent> send)
    {
        if (Observer is null) return;
        try
        {
            send(Observer, e);
        }
        catch (Exception)
        {
            // An observer's failure must not change the run's outcome.
        }
    }
}
