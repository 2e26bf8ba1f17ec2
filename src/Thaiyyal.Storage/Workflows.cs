namespace Thaiyyal.Storage;

/// <summary>A saved workflow at its latest version. <see cref="PayloadJson"/> is the workflow payload, verbatim.</summary>
public sealed record WorkflowRecord(
    string Id,
    string Name,
    string? Description,
    string PayloadJson,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One saved version of a workflow; version 1 is the first save, each later save adds one.</summary>
public sealed record WorkflowVersionRecord(
    string WorkflowId,
    int Version,
    string Name,
    string? Description,
    string PayloadJson,
    DateTimeOffset CreatedAt);

/// <summary>Saved workflows and their version history. Every method is one transaction.</summary>
public interface IWorkflowRepository
{
    /// <summary>Saves a new version (version 1 when the id is new); returns the workflow at that version.</summary>
    Task<WorkflowRecord> SaveAsync(string id, string name, string? description, string payloadJson, CancellationToken cancellationToken);

    Task<WorkflowRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Latest versions, newest first (by creation), then by id.</summary>
    Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes the workflow and all its versions; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest version first.</summary>
    Task<IReadOnlyList<WorkflowVersionRecord>> ListVersionsAsync(string id, CancellationToken cancellationToken);

    Task<WorkflowVersionRecord?> GetVersionAsync(string id, int version, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
