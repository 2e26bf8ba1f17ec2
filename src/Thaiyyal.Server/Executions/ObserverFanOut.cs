namespace Thaiyyal.Server.Executions;

/// <summary>Hands every engine event to several observers; one that throws does not keep it from the others.</summary>
public sealed class ObserverFanOut(params ExecutionObserver[] observers) : ExecutionObserver
{
    public override void OnRunStarted(RunStartedEvent e) => Each(e, static (o, e) => o.OnRunStarted(e));

    public override void OnRunCompleted(RunCompletedEvent e) => Each(e, static (o, e) => o.OnRunCompleted(e));

    public override void OnRunFailed(RunFailedEvent e) => Each(e, static (o, e) => o.OnRunFailed(e));

    public override void OnNodeStarted(NodeStartedEvent e) => Each(e, static (o, e) => o.OnNodeStarted(e));

    public override void OnNodeCompleted(NodeCompletedEvent e) => Each(e, static (o, e) => o.OnNodeCompleted(e));

    public override void OnNodeFailed(NodeFailedEvent e) => Each(e, static (o, e) => o.OnNodeFailed(e));

    public override void OnNodeSkipped(NodeSkippedEvent e) => Each(e, static (o, e) => o.OnNodeSkipped(e));

    // The event travels as state so that no closure is allocated per event on the run's hot path.
    private void Each<TEvent>(TEvent e, Action<ExecutionObserver, TEvent> send)
    {
        foreach (var observer in observers)
        {
            try
            {
                send(observer, e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An observer's failure must not cost the run or the other observers their events.
            }
        }
    }
}
