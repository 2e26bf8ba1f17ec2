using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Server.Executions;

/// <summary>Hands every engine event to several observers; one that throws does not keep it from the others.</summary>
public sealed class ObserverFanOut(params ExecutionObserver[] observers) : ExecutionObserver
{
    public override void OnRunStarted(RunStartedEvent e) => Each(o => o.OnRunStarted(e));

    public override void OnRunCompleted(RunCompletedEvent e) => Each(o => o.OnRunCompleted(e));

    public override void OnRunFailed(RunFailedEvent e) => Each(o => o.OnRunFailed(e));

    public override void OnNodeStarted(NodeStartedEvent e) => Each(o => o.OnNodeStarted(e));

    public override void OnNodeCompleted(NodeCompletedEvent e) => Each(o => o.OnNodeCompleted(e));

    public override void OnNodeFailed(NodeFailedEvent e) => Each(o => o.OnNodeFailed(e));

    public override void OnNodeSkipped(NodeSkippedEvent e) => Each(o => o.OnNodeSkipped(e));

    private void Each(Action<ExecutionObserver> send)
    {
        foreach (var observer in observers)
        {
            try
            {
                send(observer);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An observer's failure must not cost the run or the other observers their events.
            }
        }
    }
}
