using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Tests.Executions;

/// <summary>
/// The fan-out behind every recorded run (telemetry beside the run's journal) hands each kind of engine event to every
/// observer in order, and an observer that throws keeps the event from none of the others.
/// </summary>
public sealed class ObserverFanOutTests
{
    [Fact]
    public void Every_kind_of_event_reaches_every_observer_though_one_before_them_throws()
    {
        var at = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var first = new Recorder();
        var second = new Recorder();
        var fanOut = new ObserverFanOut(first, new Throwing(), second);

        fanOut.OnRunStarted(new RunStartedEvent("r", null, 1, at));
        fanOut.OnNodeStarted(new NodeStartedEvent("r", null, "a", "number", null, at));
        fanOut.OnNodeCompleted(new NodeCompletedEvent("r", null, "a", "number", null, at, TimeSpan.Zero, Value.From(1.0)));
        fanOut.OnNodeFailed(new NodeFailedEvent("r", null, "b", "operation", null, at, TimeSpan.Zero, "division by zero"));
        fanOut.OnNodeSkipped(new NodeSkippedEvent("r", null, "c", "number", null, at));
        fanOut.OnNodeCancelled(new NodeCancelledEvent("r", null, "d", "delay", null, at, TimeSpan.Zero));
        fanOut.OnRunCompleted(new RunCompletedEvent("r", null, at, TimeSpan.Zero, 1));
        fanOut.OnRunFailed(new RunFailedEvent("r", null, at, TimeSpan.Zero, 1, new ExecutionError(ExecutionErrorKind.NodeFailed, "failed")));

        string[] expected =
        [
            "RunStartedEvent", "NodeStartedEvent a", "NodeCompletedEvent a", "NodeFailedEvent b", "NodeSkippedEvent c",
            "NodeCancelledEvent d", "RunCompletedEvent", "RunFailedEvent",
        ];
        Assert.Equal(expected, first.Seen);
        Assert.Equal(expected, second.Seen);
    }

    private sealed class Recorder : ExecutionObserver
    {
        public List<string> Seen { get; } = [];

        public override void OnRunStarted(RunStartedEvent e) => Seen.Add(nameof(RunStartedEvent));

        public override void OnRunCompleted(RunCompletedEvent e) => Seen.Add(nameof(RunCompletedEvent));

        public override void OnRunFailed(RunFailedEvent e) => Seen.Add(nameof(RunFailedEvent));

        public override void OnNodeStarted(NodeStartedEvent e) => Seen.Add($"{nameof(NodeStartedEvent)} {e.NodeId}");

        public override void OnNodeCompleted(NodeCompletedEvent e) => Seen.Add($"{nameof(NodeCompletedEvent)} {e.NodeId}");

        public override void OnNodeFailed(NodeFailedEvent e) => Seen.Add($"{nameof(NodeFailedEvent)} {e.NodeId}");

        public override void OnNodeSkipped(NodeSkippedEvent e) => Seen.Add($"{nameof(NodeSkippedEvent)} {e.NodeId}");

        public override void OnNodeCancelled(NodeCancelledEvent e) => Seen.Add($"{nameof(NodeCancelledEvent)} {e.NodeId}");
    }

    private sealed class Throwing : ExecutionObserver
    {
        public override void OnRunStarted(RunStartedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnRunCompleted(RunCompletedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnRunFailed(RunFailedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnNodeStarted(NodeStartedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnNodeCompleted(NodeCompletedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnNodeFailed(NodeFailedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnNodeSkipped(NodeSkippedEvent e) => throw new InvalidOperationException("observer broken");

        public override void OnNodeCancelled(NodeCancelledEvent e) => throw new InvalidOperationException("observer broken");
    }
}
