using Thaiyyal.Engine.Workflows;

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
}

/// <summary>Where a node event happened: the top level (<see cref="ScopeNodeId"/> null) or inside a scope body run.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="WorkflowId">The payload's workflow id.</param>
/// <param name="NodeId">The node.</param>
/// <param name="NodeType">Its type string.</param>
/// <param name="ScopeNodeId">The scope node whose body this node belongs to.</param>
/// <param name="Timestamp">When the event happened.</param>
public abstract record NodeEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp);

public sealed record NodeStartedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeCompletedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp, TimeSpan Duration, Value Result)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeFailedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp, TimeSpan Duration, string Error)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record NodeSkippedEvent(string ExecutionId, string? WorkflowId, string NodeId, string NodeType, string? ScopeNodeId, DateTimeOffset Timestamp)
    : NodeEvent(ExecutionId, WorkflowId, NodeId, NodeType, ScopeNodeId, Timestamp);

public sealed record RunStartedEvent(string ExecutionId, string? WorkflowId, int NodeCount, DateTimeOffset Timestamp);

public sealed record RunCompletedEvent(string ExecutionId, string? WorkflowId, DateTimeOffset Timestamp, TimeSpan Duration, int NodesExecuted);

public sealed record RunFailedEvent(string ExecutionId, string? WorkflowId, DateTimeOffset Timestamp, TimeSpan Duration, int NodesExecuted, ExecutionError Error);
