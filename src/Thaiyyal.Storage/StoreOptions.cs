namespace Thaiyyal.Storage;

/// <summary>
/// How to open the store. SQLite (<c>&lt;DataDirectory&gt;/thaiyyal.db</c>) unless <see cref="DatabaseUrl"/> names a
/// PostgreSQL database (<c>postgres://user:pass@host:5432/db</c> or the Npgsql <c>Host=…;Database=…</c> form).
/// </summary>
public sealed record StoreOptions
{
    public string DataDirectory { get; init; } = "data";

    public string? DatabaseUrl { get; init; }

    /// <summary>
    /// Base64 of 32 bytes (<c>THAIYYAL_ENCRYPTION_KEY</c>) sealing HTTP client configurations with AES-GCM. When
    /// empty on SQLite, a key is generated once into <c>&lt;DataDirectory&gt;/encryption.key</c>; PostgreSQL requires it
    /// (every replica must use the same key, and it must not live in the database it protects).
    /// </summary>
    public string? EncryptionKey { get; init; }

    /// <summary>Largest workflow payload one save may store, in UTF-8 bytes (0: no limit).</summary>
    public long MaxWorkflowBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes all stored workflow versions together may take (0: no limit).</summary>
    public long MaxTotalWorkflowBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Distinct workflows the store keeps (0: no limit).</summary>
    public int MaxWorkflows { get; init; } = 1000;

    /// <summary>
    /// On SQLite, the store reports itself unhealthy while the file system of its data directory has less free space than
    /// this (0: not checked). The health probe's one small row can still be written on a disk too full for anything else,
    /// and the write-ahead log may grow to 64 MiB (<c>journal_size_limit</c>) before a checkpoint moves it.
    /// </summary>
    public long MinFreeDiskBytes { get; init; } = 64L * 1024 * 1024;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called with the operation name on every database failure (for a metric); must not throw.</summary>
    public Action<string, Exception>? OnError { get; init; }
}

/// <summary>Which budget a save hit.</summary>
public enum StorageLimit
{
    /// <summary>One workflow is larger than <see cref="StoreOptions.MaxWorkflowBytes"/> (HTTP 413).</summary>
    WorkflowTooLarge,

    /// <summary>The total budget or the workflow count is used up (HTTP 507).</summary>
    StoreFull,
}

/// <summary>A save refused because it would pass a byte or count budget; the message names the budget.</summary>
public sealed class StorageLimitException(StorageLimit limit, string message) : Exception(message)
{
    public StorageLimit Limit { get; } = limit;
}
