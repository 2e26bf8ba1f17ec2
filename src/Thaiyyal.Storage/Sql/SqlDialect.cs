using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using FluentMigrator.Runner;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// What differs between SQLite and PostgreSQL: how a connection is made and prepared, which FluentMigrator
/// processor applies the schema, and how concurrent openers are kept from migrating at once. The SQL of the
/// repositories is shared (both speak <c>ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT</c> and <c>@name</c> parameters).
/// </summary>
internal abstract class SqlDialect
{
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    /// <summary>The connection string for schema migrations, which may run far longer than any other command.</summary>
    public virtual string MigrationConnectionString => ConnectionString;

    /// <summary>Where the database is, for messages: the file path or host/database (never the password).</summary>
    public abstract string Describe { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>Per-connection settings run right after opening.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts the transaction of one repository operation.</summary>
    public virtual async Task<DbTransaction> BeginAsync(DbConnection connection, bool readOnly, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    /// <summary>Database-wide settings run once before migrating.</summary>
    public virtual Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract void AddMigrationProcessor(IMigrationRunnerBuilder runner);

    /// <summary>Held while migrating so that processes opening the same database do not race.</summary>
    public abstract Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appended to the claim's row lookup: PostgreSQL skips rows another claimer holds; SQLite needs nothing, as its
    /// write transactions (BEGIN IMMEDIATE) already run one at a time.
    /// </summary>
    public virtual string SkipLockedRows => "";

    /// <summary>
    /// Appended to a row check that a write in the same transaction depends on: PostgreSQL locks the row until the
    /// commit, so a concurrent requeue or interruption waits; SQLite's write transactions run one at a time anyway.
    /// </summary>
    public virtual string LockRowsForUpdate => "";

    /// <summary>After a failure: drop pooled connections so the next operation reconnects cleanly.</summary>
    public virtual void ResetPool() { }

    /// <summary>
    /// What the failure <paramref name="error"/> of an operation says about trying it again: the first of it and its inner
    /// exceptions that says anything (an I/O error or a timeout, or the database's error code).
    /// </summary>
    public StorageFault Classify(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            var fault = e is IOException or TimeoutException ? StorageFault.Unavailable : ClassifyDatabaseError(e);
            if (fault != StorageFault.Unknown) return fault;
        }
        return StorageFault.Unknown;
    }

    /// <summary>The dialect's reading of its own database's errors; <see cref="StorageFault.Unknown"/> for anything else.</summary>
    protected abstract StorageFault ClassifyDatabaseError(Exception error);

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the ids in the parameter <paramref name="parameter"/>, whose
    /// value is <see cref="IdSet"/>: one parameter for any number of ids. A parameter per id (<c>IN (@id0, @id1, …)</c>)
    /// made SQLite look each name up among all of the statement's names, so a prune batch of a thousand ids spent most
    /// of its time comparing parameter names (docs/performance.md).
    /// </summary>
    public abstract string IsOneOf(string column, string parameter);

    /// <summary>The value of the parameter that <see cref="IsOneOf"/> names.</summary>
    public abstract object IdSet(IReadOnlyCollection<string> ids);
}

internal sealed class SqliteDialect(string path) : SqlDialect
{
    /// <summary>The directory that holds the database file.</summary>
    public string Directory { get; } = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";

    /// <summary>Bytes free for this process on the file system that holds the database; null when it cannot be read.</summary>
    public long? FreeDiskBytes()
    {
        try
        {
            return new DriveInfo(Directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// By SQLite's primary result code (https://sqlite.org/rescode.html): the data (a constraint, a value too big, a type
    /// mismatch) or the database and its file (full, read-only, I/O, busy, locked, not openable, out of memory, corrupt).
    /// </summary>
    protected override StorageFault ClassifyDatabaseError(Exception error) => error is SqliteException sqlite
        ? sqlite.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_CONSTRAINT or SQLitePCL.raw.SQLITE_TOOBIG or SQLitePCL.raw.SQLITE_MISMATCH => StorageFault.DataRefused,
            SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_IOERR or SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_BUSY
                or SQLitePCL.raw.SQLITE_LOCKED or SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_NOMEM or SQLitePCL.raw.SQLITE_PERM
                or SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_PROTOCOL => StorageFault.Unavailable,
            _ => StorageFault.Unknown,
        }
        : StorageFault.Unknown;

    public override string Provider => "sqlite";

    public override string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override string Describe => path;

    public override DbConnection CreateConnection() => new SqliteConnection(ConnectionString);

    /// <summary>
    /// The database handles <see cref="PrepareAsync"/> has set up. Its settings last as long as the handle, and a pooled
    /// connection opens on the same handle again: setting them on every transaction parsed and ran five statements
    /// each time, for every batch the history writer stores and every read.
    /// </summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _prepared = new();

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var handle = ((SqliteConnection)connection).Handle;
        if (handle is not null && _prepared.TryGetValue(handle, out _)) return;
        await using var command = connection.CreateCommand();
        // Writers wait for each other instead of failing at once; NORMAL sync is durable in WAL mode except
        // for the last commits on power loss, never corrupting. The history writer inserts thousands of rows a
        // second: a 16 MiB page cache keeps the indexes' pages in memory. The server checkpoints the log in the
        // background (CheckpointAsync); a commit checkpoints by itself only when the log has reached 10,000 pages
        // (instead of 1,000) all the same, and the log is cut back to 64 MiB after a checkpoint (docs/performance.md).
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; " +
            "PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (handle is not null) _prepared.AddOrUpdate(handle, handle);
    }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // WAL lets readers go on while one writer commits; the mode is stored in the file.
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void AddMigrationProcessor(IMigrationRunnerBuilder runner) => runner.AddSQLite();

    /// <summary>
    /// Writes take the write lock up front (BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of
    /// failing on a lock upgrade; reads are deferred and, in WAL mode, never wait for a writer.
    /// </summary>
    public override Task<DbTransaction> BeginAsync(DbConnection connection, bool readOnly, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: readOnly));

    public override async Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken cancellationToken)
    {
        // An exclusive lock file beside the database (flock on Unix) serialises migrating processes. The file stays:
        // deleting it on close would let a late opener lock a fresh file while another still holds the old one.
        var lockPath = path + ".migrate-lock";
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    public override void ResetPool() => SqliteConnection.ClearAllPools();

    public override string IsOneOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    /// <summary>The ids as a JSON array of strings, which <c>json_each</c> reads.</summary>
    public override object IdSet(IReadOnlyCollection<string> ids)
    {
        var buffer = new ArrayBufferWriter<byte>(ids.Count * 20 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids) writer.WriteStringValue(id);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

internal sealed class PostgresDialect(string connectionString) : SqlDialect
{
    /// <summary>The advisory lock key every Thaiyyal replica takes while migrating ("thaiyyal" as bytes).</summary>
    private const long MigrationLockKey = 0x7468616979796C;

    public override string Provider => "postgres";

    public override string ConnectionString { get; } = WithDefaultTimeouts(connectionString);

    /// <summary>Seconds to wait for a connection to open, unless the connection string says otherwise.</summary>
    public const int DefaultConnectTimeout = 5;

    /// <summary>
    /// Seconds to wait for a command's answer, unless the connection string says otherwise: a database that takes
    /// connections but does not answer (stopped, or its disk hung) fails a save with 503 after this long, rather than
    /// holding the request until its own deadline (30 s), and the history writer's batch is tried again.
    /// </summary>
    public const int DefaultCommandTimeout = 10;

    /// <summary>
    /// No limit for the migrations' commands (an index built over a large table) and for the lock that makes a
    /// replica wait while another one migrates.
    /// </summary>
    public override string MigrationConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { CommandTimeout = 0 }.ConnectionString;

    /// <summary><paramref name="connectionString"/> with <see cref="DefaultConnectTimeout"/> and <see cref="DefaultCommandTimeout"/> where it sets neither.</summary>
    internal static string WithDefaultTimeouts(string connectionString)
    {
        // The plain builder holds only the keys the text names (Npgsql's gives every key its default).
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Names(params string[] keys) => keys.Any(k => named.ContainsKey(k));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names("Timeout")) builder.Timeout = DefaultConnectTimeout;
        if (!Names("Command Timeout", "CommandTimeout")) builder.CommandTimeout = DefaultCommandTimeout;
        return builder.ConnectionString;
    }

    public override string Describe
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public override DbConnection CreateConnection() => new NpgsqlConnection(ConnectionString);

    public override string SkipLockedRows => "FOR UPDATE SKIP LOCKED";

    public override string LockRowsForUpdate => "FOR UPDATE";

    public override void AddMigrationProcessor(IMigrationRunnerBuilder runner) => runner.AddPostgres();

    public override async Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(MigrationConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new AdvisoryLock(connection);
    }

    public override void ResetPool() => NpgsqlConnection.ClearAllPools();

    /// <summary>
    /// By the SQLSTATE class (https://www.postgresql.org/docs/current/errcodes-appendix.html): 22 (data exception), 23
    /// (integrity constraint) and 54 (program limit, such as a value too big for an index) are the data's; 08
    /// (connection), 53 (insufficient resources: disk full, out of memory, too many connections), 57 (operator
    /// intervention: shutting down), 58 (system error: I/O) and 40 (a transaction rolled back for a deadlock or
    /// serialization) are the database's. An Npgsql error without a server's answer is a lost or refused connection.
    /// </summary>
    protected override StorageFault ClassifyDatabaseError(Exception error) => error switch
    {
        PostgresException { SqlState: var state } => state[..2] switch
        {
            "22" or "23" or "54" => StorageFault.DataRefused,
            "08" or "53" or "57" or "58" or "40" => StorageFault.Unavailable,
            _ => StorageFault.Unknown,
        },
        NpgsqlException => StorageFault.Unavailable,
        _ => StorageFault.Unknown,
    };

    public override string IsOneOf(string column, string parameter) => $"{column} = ANY(@{parameter})";

    /// <summary>The ids as a <c>text[]</c> (Dapper hands an array to Npgsql as one array value).</summary>
    public override object IdSet(IReadOnlyCollection<string> ids) => ids.ToArray();

    /// <summary>
    /// Holds one connection in <c>LISTEN</c> and hands each notification's payload on. A lost connection is reopened
    /// after a second; signals sent meanwhile are missed, which is why listeners also poll.
    /// </summary>
    public async Task ListenAsync(string channel, Action<string> onSignal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, e) => onSignal(e.Payload);
                await using (var command = new NpgsqlCommand("LISTEN \"" + channel.Replace("\"", "", StringComparison.Ordinal) + "\"", connection))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                // Wakes up for missed signals too: the caller treats any call as "look again".
                onSignal("");
                while (true) await connection.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock fail.
                await connection.DisposeAsync();
            }
        }
    }
}
