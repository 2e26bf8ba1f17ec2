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
                SqlExecutionRepository.BindRow(new StatementValues(statement), completed, json);
                Check(raw.sqlite3_step(statement), db, done: true);
                Check(raw.sqlite3_reset(statement), db);
            }
        }
    }

    /// <summary>
    /// Stores finished synchronous runs as batch rows (<see cref="RunBundleJson.WriteBatches"/>), each bound by position
    /// with its <c>runs</c> straight from the writer's buffer.
    /// </summary>
    public static void SaveBatches(SqliteConnection connection, string sql, IReadOnlyList<CompletedExecution> runs, RunBundleJson json)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            json.WriteBatches(runs, (in BatchHead head, ReadOnlySpan<byte> compressed) =>
            {
                raw.sqlite3_bind_text(statement, 1, head.FirstId);
                raw.sqlite3_bind_text(statement, 2, head.LastId);
                if (head.WorkflowId is null) raw.sqlite3_bind_null(statement, 3);
                else raw.sqlite3_bind_text(statement, 3, head.WorkflowId);
                raw.sqlite3_bind_text(statement, 4, head.Status);
                raw.sqlite3_bind_int64(statement, 5, head.CreatedFrom);
                raw.sqlite3_bind_int64(statement, 6, head.CreatedTo);
                raw.sqlite3_bind_int(statement, 7, head.RunCount);
                raw.sqlite3_bind_blob(statement, 8, compressed);
                Check(raw.sqlite3_step(statement), db, done: true);
                Check(raw.sqlite3_reset(statement), db);
            });
        }
    }

    /// <summary>A prepared statement's parameters as a row's values (SQLite numbers parameters from 1).</summary>
    private readonly struct StatementValues(sqlite3_stmt statement) : SqlExecutionRepository.IRowValues
    {
        public void Text(int position, string? value)
        {
            if (value is null) raw.sqlite3_bind_null(statement, position + 1);
            else raw.sqlite3_bind_text(statement, position + 1, value);
        }

        // SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer may be written again for the next row.
        public void Utf8(int position, ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty) raw.sqlite3_bind_null(statement, position + 1);
            else raw.sqlite3_bind_text(statement, position + 1, value);
        }

        public void Int32(int position, int? value)
        {
            if (value is { } v) raw.sqlite3_bind_int(statement, position + 1, v);
            else raw.sqlite3_bind_null(statement, position + 1);
        }

        public void Int64(int position, long? value)
        {
            if (value is { } v) raw.sqlite3_bind_int64(statement, position + 1, v);
            else raw.sqlite3_bind_null(statement, position + 1);
        }

        public void Real(int position, double? value)
        {
            if (value is { } v) raw.sqlite3_bind_double(statement, position + 1, v);
            else raw.sqlite3_bind_null(statement, position + 1);
        }
    }

    private static void Check(int rc, sqlite3 db, bool done = false)
    {
        if (rc == raw.SQLITE_OK || (done && rc == raw.SQLITE_DONE)) return;
        SqliteException.ThrowExceptionForRC(rc, db);
        // ThrowExceptionForRC returns for codes it does not count as errors (SQLITE_ROW).
        throw new SqliteException($"SQLite answered {rc} while storing finished runs", rc);
    }
}
