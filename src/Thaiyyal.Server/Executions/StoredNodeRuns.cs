namespace Thaiyyal.Server.Executions;

/// <summary>
/// Reads a run's node runs from the store with every result in place: a node run whose result the run's stored
/// answer holds (<see cref="NodeRunRecord.ResultInAnswer"/>, written by <see cref="RunJournal.Build"/>) gets it from
/// the body of the run's <c>run.completed</c>/<c>run.failed</c> event, <c>results.node_results</c> by node id: the
/// same JSON text it would have kept itself.
/// </summary>
public static class StoredNodeRuns
{
    /// <param name="repository">The store.</param>
    /// <param name="executionId">The run.</param>
    /// <param name="readEvents">Events of the run the caller has already read, if any: when they include its end, it is not read again.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<IReadOnlyList<NodeRunRecord>> ReadAsync(IExecutionRepository repository, string executionId,
        IReadOnlyList<ExecutionEventRecord>? readEvents, CancellationToken cancellationToken)
    {
        var nodes = await repository.GetNodeRunsAsync(executionId, cancellationToken);
        if (!nodes.Any(n => n.ResultInAnswer)) return nodes;
        var end = EndOf(readEvents ?? []) ?? EndOf(await repository.GetEventsAsync(executionId, 0, cancellationToken));
        return WithAnswerResults(nodes, end);
    }

    /// <summary>
    /// The whole record of a stored run, as <c>GET /api/v1/executions/{id}</c> shows it: its node runs as
    /// <see cref="ReadAsync"/> gives them, and its failure body, which a run the server executed keeps only once, in its
    /// end event (<see cref="SyncRunRecorder"/>, <see cref="AsyncRunExecutor"/>); rows the store marks interrupted or
    /// cancelled by themselves carry it in <c>error_json</c>. The run's events are read once, and only when one of the
    /// two needs them.
    /// </summary>
    public static async Task<ExecutionDetail> DetailAsync(IExecutionRepository repository, ExecutionRecord record, CancellationToken cancellationToken)
    {
        var nodes = await repository.GetNodeRunsAsync(record.Id, cancellationToken);
        var errorInEnd = record.ErrorJson is null && record.Status is not (ExecutionStatus.Succeeded or ExecutionStatus.Queued or ExecutionStatus.Running);
        if (!errorInEnd && !nodes.Any(n => n.ResultInAnswer)) return ExecutionDetail.Of(record, nodes);
        var end = EndOf(await repository.GetEventsAsync(record.Id, 0, cancellationToken));
        if (errorInEnd && end is not null)
        {
            using var data = JsonDocument.Parse(end.DataJson);
            if (data.RootElement.TryGetProperty("body", out var body)) record = record with { ErrorJson = body.GetRawText() };
        }
        return ExecutionDetail.Of(record, WithAnswerResults(nodes, end));
    }

    private static IReadOnlyList<NodeRunRecord> WithAnswerResults(IReadOnlyList<NodeRunRecord> nodes, ExecutionEventRecord? end)
    {
        if (!nodes.Any(n => n.ResultInAnswer)) return nodes;
        using var data = end is null ? null : JsonDocument.Parse(end.DataJson);
        JsonElement results = default;
        var found = data is not null && data.RootElement.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                    && body.TryGetProperty("results", out var outcome) && outcome.ValueKind == JsonValueKind.Object
                    && outcome.TryGetProperty("node_results", out results) && results.ValueKind == JsonValueKind.Object;
        return
        [
            .. nodes.Select(n => !n.ResultInAnswer ? n : n with
            {
                // Without the answer (a damaged row) the node run is shown without its result rather than failing the read.
                ResultJson = found && results.TryGetProperty(n.NodeId, out var result) ? result.GetRawText() : null,
                ResultInAnswer = false,
            }),
        ];
    }

    private static ExecutionEventRecord? EndOf(IReadOnlyList<ExecutionEventRecord> events) =>
        events.LastOrDefault(e => e.Type is "run.completed" or "run.failed");
}
