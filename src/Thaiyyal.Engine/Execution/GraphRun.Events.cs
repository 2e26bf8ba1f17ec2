using System.Diagnostics;
using Thaiyyal.Engine.Graph;

namespace Thaiyyal.Engine.Execution;

/// <summary>The observer events of a graph run, each stamped with the scope and body run it happened in.</summary>
internal sealed partial class GraphRun
{
    // Event construction lives in separate methods so the hot path allocates no closures when nobody observes.
    private void NotifyStarted(PlanNode node)
    {
        var e = new NodeStartedEvent(_run.ExecutionId, _run.WorkflowId, node.Id, node.Type, ScopeNodeId, _run.TimeProvider.GetUtcNow()) { Iteration = Iteration, ScopePath = ScopePath };
        _run.Notify(e, static (o, e) => o.OnNodeStarted(e));
    }

    private void NotifyCompleted(PlanNode node, long started, Value result)
    {
        var e = new NodeCompletedEvent(_run.ExecutionId, _run.WorkflowId, node.Id, node.Type, ScopeNodeId, _run.TimeProvider.GetUtcNow(), Stopwatch.GetElapsedTime(started), result) { Iteration = Iteration, ScopePath = ScopePath };
        _run.Notify(e, static (o, e) => o.OnNodeCompleted(e));
    }

    private void NotifyFailed(PlanNode node, long started, string message)
    {
        var e = new NodeFailedEvent(_run.ExecutionId, _run.WorkflowId, node.Id, node.Type, ScopeNodeId, _run.TimeProvider.GetUtcNow(), Stopwatch.GetElapsedTime(started), message) { Iteration = Iteration, ScopePath = ScopePath };
        _run.Notify(e, static (o, e) => o.OnNodeFailed(e));
    }

    private void NotifySkipped(PlanNode node)
    {
        var e = new NodeSkippedEvent(_run.ExecutionId, _run.WorkflowId, node.Id, node.Type, ScopeNodeId, _run.TimeProvider.GetUtcNow()) { Iteration = Iteration, ScopePath = ScopePath };
        _run.Notify(e, static (o, e) => o.OnNodeSkipped(e));
    }

    private void NotifyCancelled(PlanNode node, long started)
    {
        var e = new NodeCancelledEvent(_run.ExecutionId, _run.WorkflowId, node.Id, node.Type, ScopeNodeId, _run.TimeProvider.GetUtcNow(), Stopwatch.GetElapsedTime(started)) { Iteration = Iteration, ScopePath = ScopePath };
        _run.Notify(e, static (o, e) => o.OnNodeCancelled(e));
    }
}
