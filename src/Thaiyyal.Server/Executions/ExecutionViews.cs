namespace Thaiyyal.Server.Executions;

/// <summary>An execution in lists: how and when it ran and how it ended, without results.</summary>
public sealed record ExecutionSummary(
    string Id,
    string? WorkflowId,
    int? WorkflowVersion,
    string PayloadHash,
    string Mode,
    string Source,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationMs,
    string? Replica)
{
    public static ExecutionSummary Of(ExecutionRecord r) => new(r.Id, r.WorkflowId, r.WorkflowVersion, r.PayloadHash, r.Mode, r.Source,
        ExecutionStatusText.Of(r.Status), r.CreatedAt, r.StartedAt, r.EndedAt, r.DurationMs, r.Replica);
}

/// <summary>A page of executions, newest first; pass <c>next_cursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record ExecutionListResponse(IReadOnlyList<ExecutionSummary> Executions, string? NextCursor);

/// <summary>
/// The whole record: the summary, how often it was restarted after losing its replica, the final output (success) or the failure body the run answered (<c>error</c>),
/// and every recorded node run, nodes in scope bodies with their scope and iteration.
/// </summary>
public sealed record ExecutionDetail(
    string Id,
    string? WorkflowId,
    int? WorkflowVersion,
    string PayloadHash,
    string Mode,
    string Source,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationMs,
    string? Replica,
    int Restarts,
    JsonElement? FinalOutput,
    JsonElement? Error,
    IReadOnlyList<NodeRunView> Nodes)
{
    public static ExecutionDetail Of(ExecutionRecord r, IReadOnlyList<NodeRunRecord> nodes) => new(
        r.Id, r.WorkflowId, r.WorkflowVersion, r.PayloadHash, r.Mode, r.Source, ExecutionStatusText.Of(r.Status),
        r.CreatedAt, r.StartedAt, r.EndedAt, r.DurationMs, r.Replica, r.Restarts, Parse(r.FinalOutputJson), Parse(r.ErrorJson),
        [.. nodes.Select(NodeRunView.Of)]);

    internal static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>One node run: status <c>completed</c>, <c>failed</c>, <c>skipped</c> or <c>unfinished</c> (started, never reported back).</summary>
public sealed record NodeRunView(
    string NodeId,
    string NodeType,
    string? ScopeNodeId,
    int? Iteration,
    string Status,
    DateTimeOffset StartedAt,
    double? DurationMs,
    JsonElement? Result,
    bool ResultTruncated,
    string? Error)
{
    public static NodeRunView Of(NodeRunRecord n) => new(n.NodeId, n.NodeType, n.ScopeNodeId, n.Iteration, n.Status, n.StartedAt,
        n.DurationMs, ExecutionDetail.Parse(n.ResultJson), n.ResultTruncated, n.Error);
}

/// <summary>The answer of the cancel route: the execution's status afterwards (<c>cancelled</c>, or <c>cancelling</c> while it stops).</summary>
public sealed record CancelExecutionResponse(string ExecutionId, string Status);
