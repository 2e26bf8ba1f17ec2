using System.Globalization;
using System.Text;
using System.Text.Json;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>
/// The storage contract kept in memory, thread-safe, with the same rules the SQL stores enforce (unique ids,
/// unique event sequences per execution, events and node runs only for an existing execution, one lock per call as
/// the transaction). Tests pick their store through <see cref="TestStores.Open"/>.
/// </summary>
public sealed class InMemoryThaiyyalStore : IThaiyyalStore
{
    public string Provider => "memory";

    public IWorkflowRepository Workflows { get; } = new InMemoryWorkflows();

    public IHttpClientRepository HttpClients { get; } = new InMemoryHttpClients();

    public IExecutionRepository Executions { get; } = new InMemoryExecutions();

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreHealth(true, null));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class InMemoryExecutions : IExecutionRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ExecutionRecord> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeRunRecord>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<long, ExecutionEventRecord>> _events = new(StringComparer.Ordinal);

    public Task InsertAsync(ExecutionRecord execution, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rows.TryAdd(execution.Id, execution)) throw new StorageException($"execution {execution.Id} already exists");
        }
        return Task.CompletedTask;
    }

    public Task<bool> UpdateAsync(ExecutionRecord execution, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rows.ContainsKey(execution.Id)) return Task.FromResult(false);
            _rows[execution.Id] = execution;
            return Task.FromResult(true);
        }
    }

    public Task SaveCompletedAsync(IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Check everything first: the batch is one transaction.
            foreach (var completed in batch)
            {
                foreach (var e in completed.Events) CheckNewEvent(e, completed.Execution.Id);
            }
            foreach (var completed in batch)
            {
                _rows[completed.Execution.Id] = completed.Execution;
                AddNodesLocked(completed.Nodes);
                foreach (var e in completed.Events) EventsOf(e.ExecutionId).Add(e.Sequence, e);
            }
        }
        return Task.CompletedTask;
    }

    public Task AppendEventsAsync(IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var e in events)
            {
                if (!_rows.ContainsKey(e.ExecutionId)) throw new StorageException($"execution {e.ExecutionId} does not exist");
                CheckNewEvent(e, e.ExecutionId);
            }
            foreach (var e in events) EventsOf(e.ExecutionId).Add(e.Sequence, e);
        }
        return Task.CompletedTask;
    }

    public Task AddNodeRunsAsync(IReadOnlyList<NodeRunRecord> nodes, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var n in nodes)
            {
                if (!_rows.ContainsKey(n.ExecutionId)) throw new StorageException($"execution {n.ExecutionId} does not exist");
            }
            AddNodesLocked(nodes);
        }
        return Task.CompletedTask;
    }

    public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_rows.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<NodeRunRecord>> GetNodeRunsAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<NodeRunRecord> nodes = _nodes.TryGetValue(id, out var list)
                ? [.. list.OrderBy(n => n.StartedAt).ThenBy(n => n.Iteration ?? -1)]
                : [];
            return Task.FromResult(nodes);
        }
    }

    public Task<IReadOnlyList<ExecutionEventRecord>> GetEventsAsync(string id, long afterSequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<ExecutionEventRecord> events = _events.TryGetValue(id, out var all)
                ? [.. all.Values.Where(e => e.Sequence > afterSequence)]
                : [];
            return Task.FromResult(events);
        }
    }

    public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        (DateTimeOffset Created, string Id)? after = query.Cursor is null ? null : DecodeCursor(query.Cursor);
        lock (_lock)
        {
            var matching = _rows.Values
                .Where(r => query.WorkflowId is null || r.WorkflowId == query.WorkflowId)
                .Where(r => query.Status is null || r.Status == query.Status)
                .Where(r => query.From is null || r.CreatedAt >= query.From)
                .Where(r => query.To is null || r.CreatedAt <= query.To)
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Where(r => after is null || r.CreatedAt < after.Value.Created
                            || (r.CreatedAt == after.Value.Created && string.CompareOrdinal(r.Id, after.Value.Id) < 0))
                .Take(query.Limit + 1)
                .ToList();
            var more = matching.Count > query.Limit;
            var items = matching.Take(query.Limit).ToList();
            return Task.FromResult(new ExecutionPage(items, more ? EncodeCursor(items[^1]) : null));
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _nodes.Remove(id);
            _events.Remove(id);
            return Task.FromResult(_rows.Remove(id));
        }
    }

    public Task<int> MarkInterruptedAsync(string? replica, string reason, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var unfinished = _rows.Values
                .Where(r => r.Status is ExecutionStatus.Queued or ExecutionStatus.Running && (replica is null || r.Replica == replica))
                .ToList();
            foreach (var r in unfinished)
            {
                _rows[r.Id] = r with
                {
                    Status = ExecutionStatus.Interrupted,
                    ErrorJson = JsonSerializer.Serialize(new { success = false, error = "Workflow execution interrupted", details = reason }),
                    EndedAt = DateTimeOffset.UtcNow,
                    PayloadJson = null,
                };
            }
            return Task.FromResult(unfinished.Count);
        }
    }

    public Task<int> PruneAsync(DateTimeOffset cutoff, int keep, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var finished = _rows.Values.Where(r => r.Status is not (ExecutionStatus.Queued or ExecutionStatus.Running))
                .OrderByDescending(r => r.CreatedAt).ToList();
            var doomed = finished.Where((r, i) => r.CreatedAt < cutoff || i >= keep).Select(r => r.Id).ToList();
            foreach (var id in doomed)
            {
                _rows.Remove(id);
                _nodes.Remove(id);
                _events.Remove(id);
            }
            return Task.FromResult(doomed.Count);
        }
    }

    private void CheckNewEvent(ExecutionEventRecord e, string executionId)
    {
        if (e.ExecutionId != executionId) throw new StorageException($"event of {e.ExecutionId} saved with execution {executionId}");
        if (_events.TryGetValue(e.ExecutionId, out var existing) && existing.ContainsKey(e.Sequence))
            throw new StorageException($"event {e.Sequence} of execution {e.ExecutionId} already exists");
    }

    private SortedDictionary<long, ExecutionEventRecord> EventsOf(string id)
    {
        if (!_events.TryGetValue(id, out var events)) _events[id] = events = [];
        return events;
    }

    private void AddNodesLocked(IReadOnlyList<NodeRunRecord> nodes)
    {
        foreach (var n in nodes)
        {
            if (!_nodes.TryGetValue(n.ExecutionId, out var list)) _nodes[n.ExecutionId] = list = [];
            list.Add(n);
        }
    }

    private static string EncodeCursor(ExecutionRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + last.Id));

    private static (DateTimeOffset, string) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (new DateTimeOffset(long.Parse(text[..bar], CultureInfo.InvariantCulture), TimeSpan.Zero), text[(bar + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentException("not a cursor from a previous page", nameof(cursor), ex);
        }
    }
}

public sealed class InMemoryWorkflows : IWorkflowRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<WorkflowVersionRecord>> _versions = new(StringComparer.Ordinal);

    public Task<WorkflowRecord> SaveAsync(string id, string name, string? description, string payloadJson, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_versions.TryGetValue(id, out var versions)) _versions[id] = versions = [];
            versions.Add(new WorkflowVersionRecord(id, versions.Count + 1, name, description, payloadJson, DateTimeOffset.UtcNow));
            return Task.FromResult(Latest(versions));
        }
    }

    public Task<WorkflowRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_versions.TryGetValue(id, out var v) ? Latest(v) : null);
    }

    public Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<WorkflowRecord> all = [.. _versions.Values.Select(Latest).OrderByDescending(w => w.CreatedAt).ThenBy(w => w.Id, StringComparer.Ordinal)];
            return Task.FromResult(all);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_versions.Remove(id));
    }

    public Task<IReadOnlyList<WorkflowVersionRecord>> ListVersionsAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<WorkflowVersionRecord> versions = _versions.TryGetValue(id, out var v) ? [.. Enumerable.Reverse(v)] : [];
            return Task.FromResult(versions);
        }
    }

    public Task<WorkflowVersionRecord?> GetVersionAsync(string id, int version, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_versions.TryGetValue(id, out var v) ? v.FirstOrDefault(x => x.Version == version) : null);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_versions.Count);
    }

    private static WorkflowRecord Latest(List<WorkflowVersionRecord> versions) =>
        new(versions[^1].WorkflowId, versions[^1].Name, versions[^1].Description, versions[^1].PayloadJson, versions[^1].Version,
            versions[0].CreatedAt, versions[^1].CreatedAt);
}

public sealed class InMemoryHttpClients : IHttpClientRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _clients = new(StringComparer.Ordinal);

    public Task UpsertAsync(string uid, string configJson, CancellationToken cancellationToken)
    {
        lock (_lock) _clients[uid] = configJson;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string uid, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_clients.Remove(uid));
    }

    public Task<IReadOnlyList<(string Uid, string ConfigJson)>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<(string, string)> all = [.. _clients.Select(c => (c.Key, c.Value))];
            return Task.FromResult(all);
        }
    }
}
