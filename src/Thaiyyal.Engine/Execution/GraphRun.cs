using System.Diagnostics;
using System.Numerics;
using System.Threading.Channels;
using Thaiyyal.Engine.Graph;
using static Thaiyyal.Engine.Execution.RunContext;

namespace Thaiyyal.Engine.Execution;

/// <summary>
/// One execution of a <see cref="GraphPlan"/>: the top level of a run, or one run of a scope's body.
/// A ready-queue scheduler: a node becomes ready when every upstream node has settled (run, skipped);
/// the lowest-ordered ready node is taken first, so with one worker the order is exactly the
/// topological order. Nodes that are not independent also run in topological order among themselves,
/// which keeps shared state and results identical to a sequential run.
/// </summary>
internal sealed partial class GraphRun
{
    // ReadyInOrder: pending, not independent, and every upstream node settled (its turn comes in topological order).
    private const int Pending = 0, Running = 1, Done = 2, Skipped = 3, Failed = 4, ReadyInOrder = 5;

    private readonly RunContext _run;
    private readonly GraphPlan _plan;
    /// <summary>What a body run has and a top-level run does not (null at the top level, which is most runs).</summary>
    private readonly BodyFrame? _body;
    private readonly Value[] _results;
    /// <summary>Per node, in one array: its status (<c>[i]</c>) and its upstream nodes not settled yet (<c>[n + i]</c>).</summary>
    private readonly int[] _state;
    /// <summary>Ready independent nodes of a plan of more than 64 nodes, lowest first; smaller plans use <see cref="_readyMask"/>.</summary>
    private readonly PriorityQueue<int, int>? _ready;

    /// <summary>Ready independent nodes of a plan of at most 64 nodes: bit <c>i</c> for node <c>i</c>.</summary>
    private ulong _readyMask;
    private int _orderedCursor;
    private int _failedIndex = -1;
    private Exception? _failure;
    private Outcome[]? _outcomes;
    private NodeContext? _spareContext;

    /// <summary>A top-level run.</summary>
    public GraphRun(RunContext run, GraphPlan plan)
        : this(run, plan, body: null)
    {
    }

    /// <summary>Run <paramref name="iteration"/> (null: the only run) of a scope's body.</summary>
    public GraphRun(RunContext run, GraphPlan plan, GraphRun parent, string scopeNodeId, int? iteration, Value bodyInput, IReadOnlyDictionary<string, Value>? scopeVariables, CancellationToken token)
        : this(run, plan, new BodyFrame(parent, scopeNodeId, iteration, bodyInput, scopeVariables, [.. parent.ScopePath, new ScopeFrame(scopeNodeId, iteration)], token))
    {
    }

    private GraphRun(RunContext run, GraphPlan plan, BodyFrame? body)
    {
        _run = run;
        _plan = plan;
        _body = body;
        var n = plan.Count;
        _results = new Value[n];
        _state = new int[2 * n];
        if (n > 64) _ready = new PriorityQueue<int, int>();
    }

    private ref int Status(int node) => ref _state[node];

    private ref int Remaining(int node) => ref _state[_state.Length / 2 + node];

    /// <summary>Fires when this graph must stop: the run's token, or the body's.</summary>
    public CancellationToken Token => _body?.Token ?? _run.CancellationToken;

    /// <summary>Whether this graph must stop, without making the run's token.</summary>
    private bool StopRequested => _body is { } body ? body.Token.IsCancellationRequested : _run.StopRequested;

    public string? ScopeNodeId => _body?.ScopeNodeId;

    /// <summary>Which body run of <see cref="ScopeNodeId"/> this is (null at the top level and for single-run scopes).</summary>
    public int? Iteration => _body?.Iteration;

    /// <summary>The scopes this graph runs in, outermost first; empty at the top level.</summary>
    public IReadOnlyList<ScopeFrame> ScopePath => _body?.ScopePath ?? [];

    public int MaxDegreeOfParallelism => _run.MaxDegreeOfParallelism;

    /// <summary>The run this graph is part of.</summary>
    public RunContext Run => _run;

    public IReadOnlyDictionary<string, Value>? ScopeVariables => _body?.Variables;

    /// <summary>A body run's scope node, iteration, input, variables, token and scope path, and the graph it runs in.</summary>
    private sealed record BodyFrame(GraphRun Parent, string ScopeNodeId, int? Iteration, Value Input,
        IReadOnlyDictionary<string, Value>? Variables, ScopeFrame[] ScopePath, CancellationToken Token);

    public bool TryGetResult(string nodeId, out Value result)
    {
        if (_plan.TryGetIndex(nodeId, out var i) && Volatile.Read(ref Status(i)) == Done)
        {
            result = _results[i];
            return true;
        }
        if (_body is not null) return _body.Parent.TryGetResult(nodeId, out result);
        result = default;
        return false;
    }

    /// <summary>Executed nodes' results, by id.</summary>
    public ValueObject CollectResults()
    {
        var count = 0;
        for (var i = 0; i < _plan.Count; i++)
        {
            if (Status(i) == Done) count++;
        }
        var keys = new string[count];
        // When every node ran (no node is in flight any more), the results array itself becomes the object's values.
        var values = count == _plan.Count ? _results : new Value[count];
        var k = 0;
        for (var i = 0; i < _plan.Count; i++)
        {
            if (Status(i) != Done) continue;
            keys[k] = _plan.Nodes[i].Id;
            values[k++] = _results[i];
        }
        return ValueObject.FromDistinct(keys, values);
    }

    /// <summary>The first terminal node with a result, preferring non-context nodes (§10.3 recommendation).</summary>
    public Value FinalOutput()
    {
        foreach (var t in _plan.Terminals)
        {
            if (Status(t) == Done && !IsContextNode(_plan.Nodes[t].Type)) return _results[t];
        }
        foreach (var t in _plan.Terminals)
        {
            if (Status(t) == Done) return _results[t];
        }
        return default;
    }

    private static bool IsContextNode(string type) => type is "context_variable" or "context_constant";

    /// <summary>Runs a body and returns its exit value; a failing body node throws <see cref="NodeFailedException"/>.</summary>
    public async Task<Value> RunBodyAsync()
    {
        var failure = await RunAsync().ConfigureAwait(false);
        if (failure is not null) throw failure;
        var terminals = _plan.Terminals;
        if (terminals.Length == 1) return Status(terminals[0]) == Done ? _results[terminals[0]] : default;
        var exits = new Dictionary<string, Value>(terminals.Length, StringComparer.Ordinal);
        foreach (var t in terminals)
        {
            if (Status(t) == Done) exits[_plan.Nodes[t].Id] = _results[t];
        }
        return new ValueObject(exits);
    }

    /// <summary>
    /// Runs the graph. Returns null on success or the failure of the earliest failed node (as a
    /// <see cref="NodeFailedException"/> carrying node id and message). Throws
    /// <see cref="OperationCanceledException"/> when the run's token fired.
    /// </summary>
    public async Task<NodeFailedException?> RunAsync()
    {
        var n = _plan.Count;
        for (var i = 0; i < n; i++)
        {
            Remaining(i) = _plan.IncomingStart[i + 1] - _plan.IncomingStart[i];
            if (Remaining(i) == 0) MarkReady(i);
        }
        var dop = Math.Max(1, _run.MaxDegreeOfParallelism);
        Channel<int>? completions = null;
        var running = 0;
        var stopping = false;
        while (true)
        {
            while (!stopping && running < dop && TryTakeReady(out var i))
            {
                if (StopRequested)
                {
                    stopping = true;
                    break;
                }
                if (!IsActive(i))
                {
                    MarkSkipped(i);
                    continue;
                }
                // Run the node inline: most nodes finish synchronously, and only those that really wait
                // (sleeps, HTTP, scope bodies) are left running while the scheduler starts others.
                var pending = ExecuteNodeAsync(i);
                if (pending.IsCompleted)
                {
                    Complete(i, pending.Result);
                    continue;
                }
                if (dop == 1)
                {
                    Complete(i, await pending.ConfigureAwait(false));
                    continue;
                }
                completions ??= Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
                _outcomes ??= new Outcome[n];
                Status(i) = Running;
                running++;
                ForwardWhenDone(i, pending, completions.Writer);
            }
            if (running == 0) break;
            int finished;
            try
            {
                finished = await completions!.Reader.ReadAsync(Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Nodes that ignore cancellation are left behind; their results are discarded.
                break;
            }
            running--;
            Complete(finished, _outcomes![finished]);
        }
        if (_failure is not null && _failure is not OperationCanceledException)
        {
            var node = _plan.Nodes[_failedIndex];
            return _failure as NodeFailedException is { } inner && inner.NodeId == node.Id
                ? inner
                : new NodeFailedException(node.Id, _failure.Message, _failure) { ScopePath = ScopePath };
        }
        if (stopping || StopRequested || _failure is OperationCanceledException)
        {
            // Without the token: asking a top-level run for it would make its source only to throw.
            throw new OperationCanceledException();
        }
        return null;
    }

    private async void ForwardWhenDone(int index, ValueTask<Outcome> pending, ChannelWriter<int> completions)
    {
        // ExecuteNodeAsync never throws, so this async void cannot crash the process.
        _outcomes![index] = await pending.ConfigureAwait(false);
        completions.TryWrite(index);
    }

    /// <summary>
    /// Takes the lowest ready node. After a failure only nodes ordered before it are still started: a
    /// sequential run would have run exactly those, so the reported failure is the same either way.
    /// </summary>
    private bool TryTakeReady(out int index)
    {
        int independent;
        var hasIndependent = _ready is null
            ? (independent = _readyMask == 0 ? -1 : BitOperations.TrailingZeroCount(_readyMask)) >= 0
            : _ready.TryPeek(out independent, out _);
        if (hasIndependent && _failedIndex >= 0 && independent > _failedIndex) hasIndependent = false;
        var ordered = _plan.OrderedNodes;
        if (_orderedCursor < ordered.Length)
        {
            var next = ordered[_orderedCursor];
            if (Status(next) == ReadyInOrder && (!hasIndependent || next < independent) && (_failedIndex < 0 || next < _failedIndex))
            {
                Status(next) = Pending;
                index = next;
                return true;
            }
        }
        if (hasIndependent)
        {
            if (_ready is null) _readyMask &= _readyMask - 1;
            else _ready.Dequeue();
            index = independent;
            return true;
        }
        index = -1;
        return false;
    }

    private void MarkReady(int i)
    {
        if (!_plan.IsIndependent(i)) Status(i) = ReadyInOrder;
        else if (_ready is null) _readyMask |= 1UL << i;
        else _ready.Enqueue(i, i);
    }

    /// <summary>Activation rule, workflow-format.md §8.1.</summary>
    private bool IsActive(int i)
    {
        var sources = _plan.IncomingSources(i);
        if (sources.Length == 0) return true;
        var anyLive = false;
        for (var k = 0; k < sources.Length; k++)
        {
            if (Status(sources[k]) != Done) continue;
            anyLive = true;
            if (_plan.IncomingHandle(i, k) is null) return true;
        }
        if (!anyLive) return false;
        for (var k = 0; k < sources.Length; k++)
        {
            if (Status(sources[k]) == Done && HandleRules.IsSatisfied(_results[sources[k]], _plan.IncomingHandle(i, k)!)) return true;
        }
        return false;
    }

    private void MarkSkipped(int i)
    {
        Status(i) = Skipped;
        if (_run.Observer is not null) NotifySkipped(_plan.Nodes[i]);
        Settle(i);
    }

    /// <summary>Records a node's outcome; a failure with the lowest index so far becomes the run's failure.</summary>
    private void Complete(int i, Outcome outcome)
    {
        if (outcome.Error is null)
        {
            _results[i] = outcome.Result;
            Volatile.Write(ref Status(i), Done);
            Settle(i);
            return;
        }
        Status(i) = Failed;
        if (_failedIndex < 0 || i < _failedIndex)
        {
            _failedIndex = i;
            _failure = outcome.Error;
        }
    }

    private void Settle(int i)
    {
        foreach (var d in _plan.Dependents(i))
        {
            if (--Remaining(d) == 0) MarkReady(d);
        }
        var ordered = _plan.OrderedNodes;
        while (_orderedCursor < ordered.Length && Status(ordered[_orderedCursor]) is Done or Skipped) _orderedCursor++;
    }

    private Value[] CollectInputs(int i)
    {
        var sources = _plan.IncomingSources(i);
        if (sources.Length == 0) return _body is not null ? [_body.Input] : [];
        var count = 0;
        foreach (var source in sources)
        {
            if (Status(source) == Done) count++;
        }
        var inputs = new Value[count];
        var k = 0;
        foreach (var source in sources)
        {
            if (Status(source) == Done) inputs[k++] = _results[source];
        }
        return inputs;
    }

    private async ValueTask<Outcome> ExecuteNodeAsync(int i)
    {
        var node = _plan.Nodes[i];
        var observed = _run.Observer is not null;
        var started = observed ? Stopwatch.GetTimestamp() : 0;
        if (_run.PinnedResults is { } pins && pins.TryGetValue(node.Id, out var pinned))
        {
            // A pinned node stands in for its executor: it neither runs nor counts as an execution.
            if (observed)
            {
                NotifyStarted(node);
                NotifyCompleted(node, started, pinned);
            }
            return new Outcome(pinned, null);
        }
        if (_run.PinnedIterationResults is { } perIteration && perIteration.TryGetValue(node.Id, out var pinnedRuns))
        {
            return PinnedForIteration(node, started, observed, pinnedRuns);
        }
        PendingWait? wait = null;
        try
        {
            _run.CountNodeExecution();
            // A node that finished synchronously is done with its context, so the next node of this run takes it over
            // (only ever touched by this run's dispatcher, before any await).
            var context = _spareContext;
            if (context is null) context = new NodeContext(this, node, CollectInputs(i));
            else
            {
                _spareContext = null;
                context.Reuse(node, CollectInputs(i));
            }
            if (observed) NotifyStarted(node);
            var pending = node.Executor.ExecuteAsync(context);
            Value result;
            if (pending.IsCompletedSuccessfully)
            {
                result = pending.Result;
                _spareContext = context;
            }
            else
            {
                if (observed) wait = BeginObservedWait(node, started);
                result = await pending.AsTask().WaitAsync(Token).ConfigureAwait(false);
            }
            _run.CountResult(result);
            if (observed) NotifyCompleted(node, started, result);
            return new Outcome(result, null);
        }
        catch (OperationCanceledException ex) when (StopRequested)
        {
            // The deadline, the caller or an enclosing timeout abandoned the node: say so (once), its result is discarded.
            if (wait is not null) wait.Cancel();
            else if (observed) NotifyCancelled(node, started);
            return new Outcome(default, ex);
        }
        catch (Exception ex)
        {
            var failure = ex as NodeExecutionException ?? new NodeExecutionException(DescribeUnexpected(ex), ex);
            if (observed) NotifyFailed(node, started, failure.Message);
            return new Outcome(default, failure);
        }
        finally
        {
            wait?.End();
        }
    }

    // A method of its own: a lambda in ExecuteNodeAsync would make every node execution allocate the closure of its
    // captured locals, waiting or not.
    private PendingWait BeginObservedWait(PlanNode node, long started) => _run.BeginWait(() => NotifyCancelled(node, started));

    private Outcome PinnedForIteration(PlanNode node, long started, bool observed, IReadOnlyList<Value> pinnedRuns)
    {
        if (observed) NotifyStarted(node);
        if (Iteration is int iteration && iteration < pinnedRuns.Count)
        {
            if (observed) NotifyCompleted(node, started, pinnedRuns[iteration]);
            return new Outcome(pinnedRuns[iteration], null);
        }
        var failure = new NodeExecutionException(Iteration is int missing
            ? $"node '{node.Id}' has pinned outputs for iterations 0-{pinnedRuns.Count - 1} only, not for iteration {missing}"
            : $"node '{node.Id}' has pinned outputs per iteration but ran outside a loop iteration");
        if (observed) NotifyFailed(node, started, failure.Message);
        return new Outcome(default, failure);
    }

    private static string DescribeUnexpected(Exception ex) => ex switch
    {
        OperationCanceledException => "operation was cancelled",
        _ => ex.Message,
    };

    private readonly record struct Outcome(Value Result, Exception? Error);
}
