namespace Thaiyyal.Storage;

/// <summary>Where an execution is in its life. Stored as the lowercase name.</summary>
public enum ExecutionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
}

/// <summary>The lowercase status names of the API and the store.</summary>
public static class ExecutionStatusText
{
    /// <summary>The name of <paramref name="status"/>; the known ones without making a string each time.</summary>
    public static string Of(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => "queued",
        ExecutionStatus.Running => "running",
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Interrupted => "interrupted",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string text, out ExecutionStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    /// <summary>A status read from the <paramref name="table"/> table; a name that is none is a damaged row.</summary>
    internal static ExecutionStatus ParseStored(string text, string table) =>
        TryParse(text, out var status) ? status : throw new StorageException($"unknown execution status '{text}' in the {table} table");

    public static bool IsFinished(ExecutionStatus status) => status is not (ExecutionStatus.Queued or ExecutionStatus.Running);
}

/// <summary>
/// One run of a workflow. <see cref="WorkflowId"/>/<see cref="WorkflowVersion"/> are set when it ran a stored workflow,
/// <see cref="PayloadHash"/> (SHA-256 hex of the payload bytes) always. <see cref="PayloadJson"/> is kept while the run
/// is queued or running so that any worker can run it. <see cref="Mode"/> is <c>sync</c> or <c>async</c>,
/// <see cref="Source"/> <c>api</c> or <c>editor</c>. <see cref="FinalOutputJson"/> and <see cref="ErrorJson"/> (the
/// failure body the API answered) are JSON texts; the failure body of a run the server executed is stored once, as the
/// body of its <c>run.failed</c> event, and its <see cref="ErrorJson"/> stays null. <see cref="Replica"/> names the process that ran it.
/// </summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public string? WorkflowId { get; init; }
    public int? WorkflowVersion { get; init; }
    public required string PayloadHash { get; init; }
    public string? PayloadJson { get; init; }
    public required string Mode { get; init; }
    public required string Source { get; init; }
    public required ExecutionStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public double? DurationMs { get; init; }
    public string? FinalOutputJson { get; init; }
    public string? ErrorJson { get; init; }
    public string? Replica { get; init; }
    /// <summary>While running: when the holder's lease runs out unless renewed (the replica issue's heartbeat).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>How often the run went back on the queue to start over (<see cref="IExecutionQueueRepository.ExpireLeasesAsync"/>, <see cref="IExecutionQueueRepository.RequeueAsync"/>).</summary>
    public int Restarts { get; init; }

    /// <summary>
    /// The fields of the run's <c>run.started</c> event when it is kept as them instead of as an event: only for a run
    /// <see cref="CompletedExecution.StoredInBatch"/> (a synchronous run of the server's own, whose events are made again
    /// when read); null otherwise.
    /// </summary>
    public RunStart? RunStart { get; init; }
}

/// <summary>
/// A <c>run.started</c> event kept as its fields: its place in the run's event sequence, its time (kept to the
/// microsecond), and the node count and workflow id (the payload's own, not <see cref="ExecutionRecord.WorkflowId"/>)
/// its data holds. Writing these few numbers instead of the event is most of what the event cost the history
/// writer (docs/performance.md).
/// </summary>
public sealed record RunStart(long Sequence, DateTimeOffset Timestamp, int NodeCount, string? WorkflowId);

/// <summary>
/// A run's end event (<c>run.completed</c> when it succeeded, else <c>run.failed</c>) kept as its fields, for a run
/// <see cref="CompletedExecution.StoredInBatch"/>: its place in the run's event sequence and the answer its data
/// holds (<paramref name="Body"/>, one JSON value as UTF-8). The rest follows from the run's record: the event's time
/// is <see cref="ExecutionRecord.EndedAt"/> and its data <c>{"status": the run's status, "body": the answer}</c>,
/// which is how the store makes the event again when it is read. Writing the answer alone instead of the event saves
/// the history writer about a sixth of a batched run's bytes (docs/performance.md). The answer is stored as it is,
/// unchecked, like the events' data the server writes: a text that is not one JSON value spoils its batch row.
/// </summary>
public sealed record RunEnd(long Sequence, ReadOnlyMemory<byte> Body);

/// <summary>
/// One node's run inside an execution. <see cref="ScopeNodeId"/> and <see cref="Iteration"/> are set for nodes in a
/// scope body (the scope's id and the 0-based iteration). <see cref="ResultJson"/> is capped by the recorder;
/// <see cref="ResultTruncated"/> says so.
/// A node run of a run whose node events are not stored as events (a synchronous run: its events are made again from
/// its node runs when read, docs/performance.md) also keeps where its events stood in the run's event sequence:
/// <see cref="StartSequence"/> (its <c>node.started</c> or <c>node.skipped</c>), <see cref="EndSequence"/> and
/// <see cref="EndedAt"/> (its <c>node.completed</c> or <c>node.failed</c>); 0 and null when it has none.
/// </summary>
public sealed record NodeRunRecord(
    string ExecutionId,
    string NodeId,
    string NodeType,
    string? ScopeNodeId,
    int? Iteration,
    string Status,
    DateTimeOffset StartedAt,
    double? DurationMs,
    string? ResultJson,
    bool ResultTruncated,
    string? Error)
{
    public long StartSequence { get; init; }

    public long EndSequence { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>
    /// True when <see cref="ResultJson"/> is known to be one JSON value without white space around it (the server's
    /// own JSON writer made it): it is stored as it is, without reading it through once more to check. Not stored.
    /// </summary>
    public bool ResultIsJson { get; init; }

    /// <summary>
    /// True when the result is not stored with the node run because the run's stored answer holds it: the body of
    /// its <c>run.completed</c>/<c>run.failed</c> event, under <c>results.node_results</c> by the node's id, in full and
    /// as the same JSON text. <see cref="ResultJson"/> is then null. Kept only in a finished run's own row.
    /// </summary>
    public bool ResultInAnswer { get; init; }
}

/// <summary>One event of an execution's stream (the SSE <c>id</c> is <see cref="Sequence"/>, 1-based, per execution).</summary>
public sealed record ExecutionEventRecord(string ExecutionId, long Sequence, string Type, string DataJson, DateTimeOffset Timestamp);

/// <summary>A filter and a page for listing executions, newest first. <see cref="Cursor"/> is opaque, from the previous page.</summary>
public sealed record ExecutionQuery(
    string? WorkflowId = null,
    ExecutionStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Cursor = null,
    int Limit = 50);

public sealed record ExecutionPage(IReadOnlyList<ExecutionRecord> Items, string? NextCursor);

/// <summary>
/// A finished run as the history recorder writes it: the record, its node runs and its events, one transaction.
/// <see cref="EncodedEvents"/>, when set, are this run's events already in their stored form (<see cref="RunEventsEncoder"/>),
/// stored after <see cref="Events"/>' sequence numbers would be; <see cref="EncodedNodes"/>, when set, are its node runs
/// in theirs (<see cref="NodeRunsEncoder"/>), and <see cref="Nodes"/> then holds none of this run's.
/// </summary>
public sealed record CompletedExecution(ExecutionRecord Execution, IReadOnlyList<NodeRunRecord> Nodes, IReadOnlyList<ExecutionEventRecord> Events)
{
    /// <summary>
    /// Whether a finished run with this record is stored many to a row (a synchronous run whose id the server made):
    /// only such a record may keep <see cref="ExecutionRecord.RunStart"/>.
    /// </summary>
    public static bool StoredInBatch(ExecutionRecord execution) => Sql.RunBundleJson.Batchable(execution);

    public EncodedRunEvents? EncodedEvents { get; init; }

    public EncodedNodeRuns? EncodedNodes { get; init; }

    /// <summary>
    /// The run's end event as its fields instead of an event (only for a run <see cref="StoredInBatch"/>, whose
    /// <see cref="ExecutionRecord.EndedAt"/> is the event's time); null when its end, if any, is among its events.
    /// </summary>
    public RunEnd? RunEnd { get; init; }
}

/// <summary>Executions, their node runs and events. Every method is one transaction.</summary>
public interface IExecutionRepository : IExecutionQueueRepository
{
    /// <summary>Adds a new execution (queued or running).</summary>
    Task InsertAsync(ExecutionRecord execution, CancellationToken cancellationToken);

    /// <summary>Replaces the execution's row (status, times, output, error, lease); false when it does not exist.</summary>
    Task<bool> UpdateAsync(ExecutionRecord execution, CancellationToken cancellationToken);

    /// <summary>
    /// Writes finished runs in one transaction each batch: inserts or replaces the rows, adds nodes and events. A row that
    /// is not the record's attempt's any more (another replica claimed, requeued or interrupted it after the record's
    /// lease lapsed: a different replica, restart count or a final status) is left as it is.
    /// </summary>
    Task SaveCompletedAsync(IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken);

    Task AppendEventsAsync(IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a running attempt's events only while <paramref name="attempt"/> still holds its run: the row is
    /// <c>running</c> on the attempt's replica with the attempt's restart count. False when it does not any more (its
    /// lease lapsed and another replica interrupted or requeued the run): a late flush must not mix an abandoned
    /// attempt's events into the next attempt's.
    /// </summary>
    Task<bool> AppendAttemptEventsAsync(ExecutionRecord attempt, IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken);

    Task AddNodeRunsAsync(IReadOnlyList<NodeRunRecord> nodes, CancellationToken cancellationToken);

    Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>In start order, scope bodies' nodes by iteration.</summary>
    Task<IReadOnlyList<NodeRunRecord>> GetNodeRunsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Events with <see cref="ExecutionEventRecord.Sequence"/> greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<ExecutionEventRecord>> GetEventsAsync(string id, long afterSequence, CancellationToken cancellationToken);

    Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken);

    /// <summary>Removes the execution with its nodes and events; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Marks queued/running executions of <paramref name="replica"/> (every replica when null) as interrupted with
    /// <paramref name="reason"/> in their error; returns how many.
    /// </summary>
    Task<int> MarkInterruptedAsync(string? replica, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a slot for a server that makes execution ids: one no server holds (never claimed, or not renewed since
    /// <paramref name="staleBefore"/>), the longest unused first; <paramref name="claim"/> identifies this holder.
    /// Null when all <paramref name="slots"/> slots are held.
    /// </summary>
    Task<int?> ClaimIdGeneratorAsync(string claim, string instance, DateTimeOffset staleBefore, int slots, CancellationToken cancellationToken);

    /// <summary>Marks the slot as still held by <paramref name="claim"/>; false when another server has claimed it since.</summary>
    Task<bool> RenewIdGeneratorAsync(int slot, string claim, CancellationToken cancellationToken);

    /// <summary>Retention: removes finished executions older than <paramref name="cutoff"/>, then all but the newest <paramref name="keep"/>; returns how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, int keep, CancellationToken cancellationToken);
}
