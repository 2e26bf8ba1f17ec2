namespace Thaiyyal.Engine.Execution;

/// <summary>
/// Receives a run's events as they happen; metrics, tracing, logs and live progress hang on these.
/// Override what you need. Calls may come from several threads at once (independent branches run
/// concurrently); an observer that throws does not fail the run.
/// </summary>
public abstract class ExecutionObserver
{
    public virtual void OnRunStarted(RunStartedEvent e) { }

    public virtual void OnRunCompleted(RunCompletedEvent e) { }

    public virtual void OnRunFailed(RunFailedEvent e) { }

    public virtual void OnNodeStarted(NodeStartedEvent e) { }

    public virtual void OnNodeCompleted(NodeCompletedEvent e) { }

    public virtual void OnNodeFailed(NodeFailedEvent e) { }

    public virtual void OnNodeSkipped(NodeSkippedEvent e) { }

    /// <summary>A node that was running when the run's deadline passed or the run was cancelled; its result is discarded.</summary>
    public virtual void OnNodeCancelled(NodeCancelledEvent e) { }
}

/// <summary>One level of scope nesting: the scope node and which of its body runs (null for a scope that runs its body once).</summary>
/// <param name="ScopeNodeId">The scope node (<c>for_each</c>, <c>while_loop</c>, <c>retry</c>, <c>try_catch</c>, <c>timeout</c>, …).</param>
/// <param name="Iteration">0-based: the element index of <c>for_each</c>, the iteration of <c>while_loop</c>, the attempt of <c>retry</c> minus one.</param>
public sealed record ScopeFrame(string ScopeNodeId, int? Iteration);

/// <summary>Where a node event happened: the top level (<see cref="ScopeNodeId"/> null) or inside a scope body run.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="WorkflowId">The payload's workflow id.</param>
/// <param name="NodeId">The node.</param>
/// <param name="NodeType">Its type string.</param>
/// <param name="ScopeNodeId">The scope node whose body this node belongs to.</param>
/// <param name="Timestamp">When the event happened.</param>
public abstract record NodeEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp)
{
    /// <summary>
    /// Which body run of <see cref="ScopeNodeId"/> this event belongs to, 0-based: the <c>for_each</c> element index,
    /// the <c>while_loop</c> iteration, the <c>retry</c> attempt minus one. Null at the top level and in scopes that run
    /// their body once (<c>try_catch</c>, <c>timeout</c>).
    /// </summary>
    public int? Iteration { get; init; }

    /// <summary>The enclosing scopes, outermost first (the last frame is <see cref="ScopeNodeId"/>/<see cref="Iteration"/>); empty at the top level.</summary>
    public IReadOnlyList<ScopeFrame> ScopePath { get; init; } = [];
}

public sealed record NodeStartedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeCompletedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp, TimeSpan Duration, Value Result)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeFailedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp, TimeSpan Duration, string Error)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeSkippedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeCancelledEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp, TimeSpan Duration)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record RunStartedEvent(string ExecutionId, string? WorkflowId, int NodeCount, DateTimeOffset Timestamp);

public sealed record RunCompletedEvent(string ExecutionId, string? WorkflowId, DateTimeOffset Timestamp, TimeSpan Duration, int NodesExecuted);

public sealed record RunFailedEvent(string ExecutionId, string? WorkflowId, DateTimeOffset Timestamp, TimeSpan Duration, int NodesExecuted, ExecutionError Error);
