namespace Thaiyyal.Engine.Execution;

/// <summary>Why a run failed.</summary>
public enum ExecutionErrorKind
{
    /// <summary>A node's executor failed.</summary>
    NodeFailed,
    /// <summary>A run limit (node executions, loop iterations, HTTP calls, sizes) was reached.</summary>
    LimitExceeded,
    /// <summary>The run's deadline passed.</summary>
    Timeout,
    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
}

/// <summary>A failed run's cause. <see cref="Message"/> is the full text, e.g. <c>error executing node x: division by zero</c>.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Message">The run's error text (also the single entry of <c>errors</c>).</param>
/// <param name="NodeId">The node that failed, when a node did.</param>
/// <param name="NodeType">Its type.</param>
/// <param name="Cause">The node's own message, without the <c>error executing node</c> prefix.</param>
/// <param name="Limit">For <see cref="ExecutionErrorKind.LimitExceeded"/>: which limit (<see cref="ExecutionLimitException.Limit"/>).</param>
/// <remarks>
/// <see cref="NodeId"/> is the top-level node whose failure ended the run; when that node is a scope, the node that
/// really failed is <see cref="InnermostNodeId"/>, reached through <see cref="ScopePath"/>.
/// </remarks>
public sealed record ExecutionError(ExecutionErrorKind Kind, string Message, string? NodeId = null, string? NodeType = null, string? Cause = null, string? Limit = null)
{
    /// <summary>The node that failed first, however deep in scope bodies (equal to <see cref="NodeId"/> for a top-level failure).</summary>
    public string? InnermostNodeId { get; init; }

    /// <summary>The scopes around <see cref="InnermostNodeId"/>, outermost first (with the body run each was in); empty at the top level.</summary>
    public IReadOnlyList<ScopeFrame> ScopePath { get; init; } = [];

    /// <summary>Equal when every field is, <see cref="ScopePath"/> compared frame by frame (not as a list reference).</summary>
    public bool Equals(ExecutionError? other) =>
        other is not null && Kind == other.Kind && Message == other.Message && NodeId == other.NodeId && NodeType == other.NodeType &&
        Cause == other.Cause && Limit == other.Limit && InnermostNodeId == other.InnermostNodeId && ScopePath.SequenceEqual(other.ScopePath);

    public override int GetHashCode() => HashCode.Combine(Kind, Message, NodeId, InnermostNodeId, ScopePath.Count);
}

/// <summary>The outcome of one run (workflow-format.md §10).</summary>
public sealed record ExecutionResult
{
    /// <summary>16 lowercase hex characters, fresh per run.</summary>
    public required string ExecutionId { get; init; }

    public string? WorkflowId { get; init; }

    /// <summary>Every executed top-level node's result by id; empty when the run failed.</summary>
    public required ValueObject NodeResults { get; init; }

    /// <summary>The first terminal node's result in topological order (§10.3); null on failure.</summary>
    public Value FinalOutput { get; init; }

    /// <summary>Null on success.</summary>
    public ExecutionError? Error { get; init; }

    public bool Success => Error is null;

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Nodes executed, scope bodies included.</summary>
    public int NodesExecuted { get; init; }

    /// <summary>
    /// The size of the node results the run produced, as counted against <see cref="ExecutionLimits.MaxResultBytes"/>
    /// (0 when that limit is off). Hosts use it to bound what they keep of a run.
    /// </summary>
    public long ResultBytes { get; init; }
}
