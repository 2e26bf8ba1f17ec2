using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// SQLite's half of storing finished runs, the history writer's hot loop: the row statement is prepared once per
/// batch on the connection's own handle, inside the transaction the store began, and each row's values are bound by
/// position, the node runs straight from the UTF-8 the writer produced. Through ADO.NET a row cost about 4 µs more
/// than SQLite's own work for it: a data reader and a statement enumerator per row, and every parameter looked up by
/// name (docs/performance.md). Failures surface as the <see cref="SqliteException"/> ADO.NET would have thrown.
/// </summary>
internal static class SqliteCompletedRows
{
    public static void Save(SqliteConnection connection, string sql, IReadOnlyList<CompletedExecution> batch, RunBundleJson json)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            foreach (var completed in batch)
            {
                Bind(statement, completed, json);
                Check(raw.sqlite3_step(statement), db, done: true);
                Check(raw.sqlite3_reset(statement), db);
            }
        }
    }

    /// <summary>The values of <see cref="SqlExecutionRepository"/>'s row statement, in its parameters' order.</summary>
    private static void Bind(sqlite3_stmt s, CompletedExecution completed, RunBundleJson json)
    {
        var (e, nodes, events) = completed;
        Text(s, 1, e.Id);
        Text(s, 2, e.WorkflowId);
        Integer(s, 3, e.WorkflowVersion);
        Text(s, 4, e.PayloadHash);
        Text(s, 5, e.PayloadJson);
        Text(s, 6, e.Mode);
        Text(s, 7, e.Source);
        Text(s, 8, SqlExecutionRepository.StatusName(e.Status));
        Integer(s, 9, Micros.From(e.CreatedAt));
        Integer(s, 10, Micros.From(e.StartedAt));
        Integer(s, 11, Micros.From(e.EndedAt));
        if (e.DurationMs is { } duration) raw.sqlite3_bind_double(s, 12, duration);
        else raw.sqlite3_bind_null(s, 12);
        Text(s, 13, e.FinalOutputJson);
        Text(s, 14, e.ErrorJson);
        Text(s, 15, e.Replica);
        Integer(s, 16, Micros.From(e.LeaseExpiresAt));
        raw.sqlite3_bind_int(s, 17, e.Restarts);
        var nodesUtf8 = json.NodesUtf8(nodes, e.Id);
        // SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer may be written again for the next row.
        if (nodesUtf8.IsEmpty) raw.sqlite3_bind_null(s, 18);
        else raw.sqlite3_bind_text(s, 18, nodesUtf8);
        if (completed.EncodedEvents?.Utf8 is { } encoded) raw.sqlite3_bind_text(s, 19, encoded);
        else Text(s, 19, json.Events(events, e.Id));
    }

    private static void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(s, index);
        else raw.sqlite3_bind_text(s, index, value);
    }

    private static void Integer(sqlite3_stmt s, int index, long? value)
    {
        if (value is { } v) raw.sqlite3_bind_int64(s, index, v);
        else raw.sqlite3_bind_null(s, index);
    }

    private static void Check(int rc, sqlite3 db, bool done = false)
    {
        if (rc == raw.SQLITE_OK || (done && rc == raw.SQLITE_DONE)) return;
        SqliteException.ThrowExceptionForRC(rc, db);
        // ThrowExceptionForRC returns for codes it does not count as errors (SQLITE_ROW).
        throw new SqliteException($"SQLite answered {rc} while storing finished runs", rc);
    }
}
