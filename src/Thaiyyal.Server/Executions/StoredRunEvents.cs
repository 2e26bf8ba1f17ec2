namespace Thaiyyal.Server.Executions;

/// <summary>
/// Reads a run's events from the store. A synchronous run's node events are not stored as events (the history
/// writer keeps only <c>run.started</c> and the run's end, <see cref="RunJournal.Build"/>): each node run keeps the
/// sequence numbers and the end time of its events, and the events are made again here from it, with the data the
/// live stream would have sent (<see cref="NodeEventJson.NodeFields(Utf8JsonWriter, string, string, string?, int?, DateTimeOffset, double?, string?, bool, string?)"/>).
/// A run stored many to a row keeps its <c>run.started</c> as the event's fields (<see cref="ExecutionRecord.RunStart"/>),
/// and the event is made again from them too.
/// An event that is stored wins over one made again with the same sequence.
/// </summary>
public static class StoredRunEvents
{
    /// <summary>The events of <paramref name="record"/>'s run after <paramref name="afterSequence"/>, in order.</summary>
    public static async Task<IReadOnlyList<ExecutionEventRecord>> ReadAsync(IExecutionRepository repository, ExecutionRecord record,
        long afterSequence, CancellationToken cancellationToken)
    {
        var stored = await repository.GetEventsAsync(record.Id, afterSequence, cancellationToken);
        if (record.Mode != "sync") return stored;
        var nodes = await StoredNodeRuns.ReadAsync(repository, record.Id, stored, cancellationToken);
        var events = new List<ExecutionEventRecord>(stored);
        var taken = stored.Select(e => e.Sequence).ToHashSet();
        if (record.RunStart is { } start && start.Sequence > afterSequence && taken.Add(start.Sequence))
            events.Add(new ExecutionEventRecord(record.Id, start.Sequence, "run.started",
                NodeEventJson.RunStarted(new RunStartedEvent(record.Id, start.WorkflowId, start.NodeCount, start.Timestamp)), start.Timestamp));
        foreach (var n in nodes)
        {
            if (n.StartSequence > afterSequence && taken.Add(n.StartSequence))
            {
                var type = n.Status == "skipped" ? "node.skipped" : "node.started";
                events.Add(new ExecutionEventRecord(record.Id, n.StartSequence, type, NodeEventJson.Write(w =>
                    NodeEventJson.NodeFields(w, n.NodeId, n.NodeType, n.ScopeNodeId, n.Iteration, n.StartedAt, null, null, false, null)), n.StartedAt));
            }
            if (n.EndSequence > afterSequence && n.EndedAt is { } ended && taken.Add(n.EndSequence))
            {
                var failed = n.Status == "failed";
                events.Add(new ExecutionEventRecord(record.Id, n.EndSequence, failed ? "node.failed" : "node.completed", NodeEventJson.Write(w =>
                    NodeEventJson.NodeFields(w, n.NodeId, n.NodeType, n.ScopeNodeId, n.Iteration, ended, n.DurationMs,
                        failed ? null : n.ResultJson, n.ResultTruncated, failed ? n.Error : null)), ended));
            }
        }
        events.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return events;
    }
}
