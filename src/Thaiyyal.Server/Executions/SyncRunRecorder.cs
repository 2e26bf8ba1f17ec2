using Thaiyyal.Server.Execution;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Records synchronous runs per <c>HISTORY</c>: <c>all</c>, only <c>failures</c>, or <c>off</c>. The run path keeps a
/// deferred journal and hands it to the <see cref="HistoryWriter"/> queue; hashing, JSON and the store happen there.
/// </summary>
public sealed class SyncRunRecorder(ServerSettings settings, HistoryWriter writer)
{
    private readonly bool _enabled = settings.Executions.History != HistoryMode.Off;

    /// <summary>A journal for a run about to start, or null when synchronous runs are not recorded.</summary>
    public RunJournal? StartJournal(string executionId) => _enabled ? new RunJournal(executionId, settings.Executions) : null;

    /// <summary>Whether <see cref="Record"/> keeps this run (<c>HISTORY=failures</c> keeps only failed ones).</summary>
    public bool Keeps(ExecutionResult result) => !(result.Success && settings.Executions.History == HistoryMode.Failures);

    /// <summary>
    /// Queues the record of a finished run that <see cref="Keeps"/> (never waits; a full queue drops it and counts the
    /// drop). <paramref name="answered"/> is the body the run answered, as UTF-8 JSON: it is stored as it is.
    /// </summary>
    public void Record(RunJournal journal, HttpContext http, byte[] payload, StoredRun? stored, ExecutionResult result,
        DateTimeOffset started, TimeSpan elapsed, Action<Utf8JsonWriter>? extraFields, byte[] answered)
    {
        var source = ExecutionIds.SourceOf(http);
        var ended = started + result.Duration;
        var cap = settings.Executions.MaxResultBytes;
        writer.TryEnqueue(() =>
        {
            var status = result.Error switch
            {
                null => ExecutionStatus.Succeeded,
                { Kind: ExecutionErrorKind.Cancelled } => ExecutionStatus.Cancelled,
                _ => ExecutionStatus.Failed,
            };
            var body = StoredAnswer.Of(answered, result, elapsed, extraFields, cap, out var whole);
            // The event carries the run's end, not the (later) moment the writer builds the record.
            journal.Finish(status, body, ended);
            // A whole answer holds every node result in full: the node runs refer to it instead of keeping copies.
            return journal.Build(answer: whole ? result : null, execution: new ExecutionRecord
            {
                Id = journal.ExecutionId,
                WorkflowId = stored?.Id,
                WorkflowVersion = stored?.Version,
                PayloadHash = ExecutionIds.PayloadHash(payload),
                Mode = "sync",
                Source = source,
                Status = status,
                CreatedAt = started,
                StartedAt = started,
                EndedAt = ended,
                DurationMs = result.Duration.TotalMilliseconds,
                // A failure's body is stored once, in its run.failed event, not in ErrorJson as well (StoredNodeRuns.DetailAsync reads it there).
                FinalOutputJson = result.Success ? NodeEventJson.Capped(result.FinalOutput, cap).Json : null,
                Replica = settings.Executions.InstanceId,
                // Given here, not added by Build (which would copy the record for it).
                RunStart = journal.RunStartFields(),
            });
        }, payload.Length + result.ResultBytes);
    }
}
