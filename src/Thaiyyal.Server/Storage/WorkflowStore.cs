using System.Collections.Concurrent;
using System.Text.Json;

namespace Thaiyyal.Server.Storage;

/// <summary>A saved workflow: its payload is kept verbatim as JSON.</summary>
public sealed record StoredWorkflow(string Id, string Name, string? Description, JsonElement Data, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Where saved workflows live (server-api.md §3). The default keeps them in process memory.</summary>
public interface IWorkflowStore
{
    /// <summary>False when the store is full.</summary>
    bool TryAdd(StoredWorkflow workflow);

    bool TryGet(string id, out StoredWorkflow? workflow);

    bool TryRemove(string id);

    /// <summary>Newest first, then by id.</summary>
    IReadOnlyList<StoredWorkflow> List();

    int Capacity { get; }
}

/// <summary>
/// Thread-safe, bounded, in-memory store: contents vanish on restart and are per replica (operations.md §1),
/// which is why the Kubernetes manifest documents one replica for stored workflows.
/// </summary>
public sealed class InMemoryWorkflowStore(int capacity) : IWorkflowStore
{
    private readonly ConcurrentDictionary<string, StoredWorkflow> _workflows = new(StringComparer.Ordinal);
    private readonly Lock _addLock = new();

    public int Capacity { get; } = capacity;

    public bool TryAdd(StoredWorkflow workflow)
    {
        // The count check and the insert must be one step, or concurrent saves could overshoot the bound.
        lock (_addLock)
        {
            if (_workflows.Count >= Capacity) return false;
            return _workflows.TryAdd(workflow.Id, workflow);
        }
    }

    public bool TryGet(string id, out StoredWorkflow? workflow) => _workflows.TryGetValue(id, out workflow);

    public bool TryRemove(string id) => _workflows.TryRemove(id, out _);

    public IReadOnlyList<StoredWorkflow> List() =>
        [.. _workflows.Values.OrderByDescending(w => w.CreatedAt).ThenBy(w => w.Id, StringComparer.Ordinal)];
}
