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
        using var data = Parse(end);
        return WithAnswerResults(nodes, BodyOf(data));
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
        // The end event is parsed once, for the failure body and the node results both.
        using var data = Parse(EndOf(await repository.GetEventsAsync(record.Id, 0, cancellationToken)));
        var body = BodyOf(data);
        if (errorInEnd && body is { } failure) record = record with { ErrorJson = failure.GetRawText() };
        return ExecutionDetail.Of(record, WithAnswerResults(nodes, body));
    }

    /// <summary>The node runs with the results they refer to read from <paramref name="body"/>, the stored answer.</summary>
    private static IReadOnlyList<NodeRunRecord> WithAnswerResults(IReadOnlyList<NodeRunRecord> nodes, JsonElement? body)
    {
        if (!nodes.Any(n => n.ResultInAnswer)) return nodes;
        JsonElement results = default;
        var found = body is { ValueKind: JsonValueKind.Object } answer
                    && answer.TryGetProperty("results", out var outcome) && outcome.ValueKind == JsonValueKind.Object
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

    private static JsonDocument? Parse(ExecutionEventRecord? end) => end is null ? null : JsonDocument.Parse(end.DataJson);

    /// <summary>The <c>body</c> of a parsed end event's data: the answer the run's record keeps.</summary>
    private static JsonElement? BodyOf(JsonDocument? data) =>
        data is not null && data.RootElement.TryGetProperty("body", out var body) ? body : null;

    private static ExecutionEventRecord? EndOf(IReadOnlyList<ExecutionEventRecord> events) =>
        events.LastOrDefault(e => e.Type is "run.completed" or "run.failed");
}
