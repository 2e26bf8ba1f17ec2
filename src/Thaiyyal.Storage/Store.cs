namespace Thaiyyal.Storage;

/// <summary>
/// The opened database: its repositories and its health. Opening applies pending schema migrations and refuses a
/// schema newer than this build knows (<see cref="StorageException"/>).
/// </summary>
public interface IThaiyyalStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    IWorkflowRepository Workflows { get; }

    IHttpClientRepository HttpClients { get; }

    IExecutionRepository Executions { get; }

    /// <summary>Wakes every replica listening on <paramref name="channel"/> (PostgreSQL <c>NOTIFY</c>); nothing on a one-process store.</summary>
    Task SignalAsync(string channel, string payload, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Calls <paramref name="onSignal"/> with the payload of every signal on <paramref name="channel"/> from any replica
    /// (PostgreSQL <c>LISTEN</c>, reconnecting after failures) until cancelled; returns at once on a one-process store.
    /// </summary>
    Task ListenAsync(string channel, Action<string> onSignal, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Copies the pages SQLite's write-ahead log holds into the database file, without waiting for readers or
    /// writers and without making them wait (a passive checkpoint); nothing on PostgreSQL. Called often from a
    /// background task, it keeps the log short, so a writer's commit seldom has to copy it itself: that copy and its
    /// file sync stalled the history writer for tens of milliseconds, long enough for its queue to fill and drop runs
    /// (docs/performance.md).
    /// </summary>
    Task CheckpointAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A cheap round trip; the reason when the store cannot be reached or written.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

public sealed record StoreHealth(bool Healthy, string? Reason);

/// <summary>
/// The store cannot do what was asked (unreachable, read-only, full, schema too new). The message says which;
/// <see cref="Fault"/> says whether the same work can succeed later.
/// </summary>
public sealed class StorageException(string message, Exception? inner = null, StorageFault fault = StorageFault.Unknown) : Exception(message, inner)
{
    public StorageFault Fault { get; } = fault;
}

/// <summary>What a database's answer to a failed operation says about trying the same operation again.</summary>
public enum StorageFault
{
    /// <summary>The answer does not say (the database's error is not one of the kinds below).</summary>
    Unknown,

    /// <summary>
    /// The database, its disk or the way to it failed (disk full, read-only or unreadable file, I/O error, busy, connection
    /// lost, server shutting down): the same operation can succeed once that is mended.
    /// </summary>
    Unavailable,

    /// <summary>The database refused the data itself (a constraint, a value too long or of the wrong type): the same operation fails again.</summary>
    DataRefused,
}
