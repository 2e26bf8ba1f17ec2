using System.Collections.Concurrent;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Execution;

/// <summary>Everything one run shares across its nodes and scope bodies: limits, counters, state, observer.</summary>
internal sealed class RunContext(
    string executionId,
    string? workflowId,
    ExecutionLimits limits,
    WorkflowEngine engine,
    RunOptions? options,
    CancellationToken cancellationToken) : IDisposable
{
    private int _nodeExecutions;
    private int _loopIterations;
    private int _httpCalls;
    private long _resultBytes;

    public string ExecutionId { get; } = executionId;
    public string? WorkflowId { get; } = workflowId;
    public ExecutionLimits Limits { get; } = limits;

    // The engine's settings and the run's options are read through the two objects, not copied into each run.
    public int MaxDegreeOfParallelism => engine.Options.MaxDegreeOfParallelism;
    public ExecutionObserver? Observer => options?.Observer;
    public IServiceProvider? Services => engine.Options.Services;
    public TimeProvider TimeProvider => engine.Options.TimeProvider;
    public OutboundHttp Http => engine.Http;
    public IReadOnlyDictionary<string, Value>? PinnedResults => options?.PinnedResults;
    public IReadOnlyDictionary<string, IReadOnlyList<Value>>? PinnedIterationResults => options?.PinnedIterationResults;
    public Random Random => options?.Random ?? Random.Shared;
    private WorkflowState? _state;

    // The run's cancellation: the caller's token and the deadline. Its token source (a timer for the deadline, a link to
    // the caller's token) is made only when a node asks for the token or waits; a run of nodes that finish at once only
    // reads a clock between them (StopRequested). The source and its timer were about 130 of the 2,900 bytes the 3-node
    // addition allocated, and their timer queue's locks a part of its time.
    private readonly CancellationToken _caller = cancellationToken;
    private readonly bool _systemClock = engine.Options.TimeProvider == TimeProvider.System;
    private readonly long _deadline = DeadlineOf(limits.MaxExecutionTime, engine.Options.TimeProvider);
    private TokenSource? _source;

    /// <summary>
    /// When the deadline passes, on the clock <see cref="PastDeadline"/> reads: milliseconds of
    /// <see cref="Environment.TickCount64"/> for the system clock (a few nanoseconds to read, a few milliseconds
    /// coarse: the source's timer is exact), the time provider's timestamps otherwise; <see cref="long.MaxValue"/> without one,
    /// or for one further away than a timer can wait (about 49 days).
    /// </summary>
    private static long DeadlineOf(TimeSpan limit, TimeProvider clock)
    {
        if (limit <= TimeSpan.Zero || limit.TotalMilliseconds >= uint.MaxValue - 1) return long.MaxValue;
        if (clock == TimeProvider.System) return Environment.TickCount64 + (long)Math.Ceiling(limit.TotalMilliseconds);
        return clock.GetTimestamp() + (long)Math.Ceiling(limit.TotalSeconds * clock.TimestampFrequency);
    }

    private bool PastDeadline() =>
        _deadline != long.MaxValue && (_systemClock ? Environment.TickCount64 : TimeProvider.GetTimestamp()) >= _deadline;

    /// <summary>Nodes a run checks its deadline for by reading the clock before it makes the deadline's timer.</summary>
    private const int ClockChecks = 8;

    private int _checks;

    // Set once the token source exists: its token, read without going through it (the path of every node of a long run).
    private CancellationToken _madeToken;
    private bool _made;

    /// <summary>
    /// Whether the run must stop: the caller cancelled it or its deadline passed. Asked before each node. The first
    /// <see cref="ClockChecks"/> times it reads a coarse clock (a short run never makes a timer); after that it makes
    /// the token source with its timer and reads the token, and the clock every eighth time as well (a timer's callback
    /// needs a free pool thread, and the process may have none for a while). Reading the clock before every node cost
    /// a run of a thousand nodes about a tenth of its time.
    /// </summary>
    public bool StopRequested
    {
        get
        {
            if (!_made) return StopRequestedUnwatched();
            if (_madeToken.IsCancellationRequested) return true;
            return (++_checks & 7) == 0 && FireIfLate();
        }
    }

    private bool StopRequestedUnwatched()
    {
        if (_deadline == long.MaxValue) return _caller.IsCancellationRequested;
        if (++_checks > ClockChecks) return CancellationToken.IsCancellationRequested || PastDeadline();
        return _caller.IsCancellationRequested || PastDeadline();
    }

    /// <summary>The deadline passed and the timer's callback is late: fires the token now, so every later look agrees.</summary>
    private bool FireIfLate()
    {
        if (!PastDeadline()) return false;
        Volatile.Read(ref _source)?.Expire();
        return true;
    }

    /// <summary>Fires when the caller cancels the run or its deadline passes. Made on first use.</summary>
    public CancellationToken CancellationToken =>
        _deadline == long.MaxValue ? _caller : (Volatile.Read(ref _source) ?? MakeSource()).Token;

    private TokenSource MakeSource()
    {
        var left = _systemClock
            ? TimeSpan.FromMilliseconds(_deadline - Environment.TickCount64)
            : TimeSpan.FromSeconds((_deadline - TimeProvider.GetTimestamp()) / (double)TimeProvider.TimestampFrequency);
        CancellationTokenSource? timer = null;
        CancellationTokenSource source;
        if (left > TimeSpan.Zero && !_systemClock)
        {
            // A substituted clock needs a timer source of its own, linked with the caller's token.
            timer = new CancellationTokenSource(left, TimeProvider);
            source = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _caller);
        }
        else
        {
            source = _caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_caller) : new CancellationTokenSource();
            // Past the deadline already: fired now, not by a timer callback that needs a free pool thread.
            if (left <= TimeSpan.Zero) source.Cancel();
            else source.CancelAfter(left);
        }
        var made = new TokenSource(source, timer);
        // Another node may have made one first; after the run ended, Dispose left one that has fired.
        var kept = Interlocked.CompareExchange(ref _source, made, null) ?? made;
        if (kept != made) made.Dispose();
        _madeToken = kept.Token;
        Volatile.Write(ref _made, true);
        return kept;
    }

    /// <summary>Ends the run's cancellation: its timer and link go. A node left running (one that ignored cancellation) sees a fired token.</summary>
    public void Dispose() => Interlocked.Exchange(ref _source, TokenSource.Ended)?.Dispose();

    /// <summary>The run's token source, its substituted clock's timer, and the token (readable after they are disposed).</summary>
    private sealed class TokenSource(CancellationTokenSource? source, CancellationTokenSource? timer) : IDisposable
    {
        public static readonly TokenSource Ended = new(null, null);

        public CancellationToken Token { get; } = source?.Token ?? new CancellationToken(canceled: true);

        /// <summary>Fires the token (the deadline passed); nothing once the run ended.</summary>
        public void Expire()
        {
            try
            {
                source?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile.
            }
        }

        public void Dispose()
        {
            source?.Dispose();
            timer?.Dispose();
        }
    }

    /// <summary>The run's variables, context values, cache and node memory; created on first use (most runs touch none).</summary>
    public WorkflowState State => _state ?? Interlocked.CompareExchange(ref _state, new WorkflowState(), null) ?? _state;

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
