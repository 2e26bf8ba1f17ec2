using System.Data.Common;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// Reading, listing, deleting and pruning the finished synchronous runs stored many to a row in
/// <c>execution_batches</c> (migration 8, <see cref="RunBundleJson.WriteBatches"/>). Every read of an execution
/// looks in <c>executions</c> first and in the batch rows second; a listing merges both.
/// </summary>
internal sealed partial class SqlExecutionRepository
{
    /// <summary>
    /// The batch rows that may hold the run <c>@id</c>: every run in a row shares the first 8 digits of the row's
    /// first id and lies between its first and last id, so the key's range is a narrow one (the rows one or a few
    /// servers wrote in half a second).
    /// </summary>
    private const string FindBatchSql = $"SELECT {BatchColumns} FROM execution_batches WHERE first_id >= @lo AND first_id <= @id AND last_id >= @id";

    /// <summary>The columns of <see cref="BatchRow"/>.</summary>
    private const string BatchColumns = "first_id, workflow_id, status, created_to, runs";

    /// <summary>Batch rows read per statement while listing.</summary>
    private const int BatchRowsPerRead = 8;

    /// <summary>The run <paramref name="id"/> from the batch row that holds it, with that row; null when none does.</summary>
    private async Task<(BatchRow Row, BatchedRun Run)?> FindBatchedAsync(DbConnection connection, DbTransaction transaction, string id,
        CancellationToken cancellationToken, bool forUpdate = false)
    {
        if (!RunBundleJson.IsServerId(id)) return null;
        var sql = forUpdate ? $"{FindBatchSql} {store.Dialect.LockRowsForUpdate}" : FindBatchSql;
        var rows = await connection.QueryAsync<BatchRow>(new CommandDefinition(sql, new { lo = RunBundleJson.BatchKeyStart(id), id },
            transaction, cancellationToken: cancellationToken));
        foreach (var row in rows)
            if (RunBundleJson.FindInBatch(row.Runs, id, row.WorkflowId, row.Status) is { } run) return (row, run);
        return null;
    }

    /// <summary>
    /// The batched runs of a listing's page: at least <paramref name="need"/> of the newest that match, when there
    /// are so many, and every batched run newer than the last of them. Rows are read newest first by their newest
    /// run's creation time; reading stops at a row whose newest run is older than the <paramref name="need"/>-th
    /// newest run found, since nothing in it or after it can be on the page.
    /// </summary>
    private static async Task<List<ExecutionRecord>> ListBatchedAsync(DbConnection connection, DbTransaction transaction, ExecutionQuery query,
        int need, CancellationToken cancellationToken)
    {
        var (where, parameters) = WorkflowAndStatus(query);
        long? from = query.From is { } f ? Micros.From(f) : null;
        long? to = query.To is { } t ? Micros.From(t) : null;
        (long At, string Id)? cursor = query.Cursor is { } c ? DecodeCursor(c) : null;
        if (from is not null)
        {
            where.Add("created_to >= @from");
            parameters.Add("from", from);
        }
        if (to is not null)
        {
            where.Add("created_from < @to");
            parameters.Add("to", to);
        }
        if (cursor is { } before)
        {
            where.Add("created_from <= @cursorAt");
            parameters.Add("cursorAt", before.At);
        }
        parameters.Add("take", BatchRowsPerRead);

        var found = new List<ExecutionRecord>();
        var sorted = true;
        (long CreatedTo, string FirstId)? last = null;
        while (true)
        {
            var page = where.ToList();
            if (last is { } after)
            {
                page.Add("(created_to < @pageTo OR (created_to = @pageTo AND first_id < @pageFirst))");
                parameters.Add("pageTo", after.CreatedTo);
                parameters.Add("pageFirst", after.FirstId);
            }
            var sql = $"SELECT {BatchColumns} FROM execution_batches" +
                      (page.Count > 0 ? " WHERE " + string.Join(" AND ", page) : "") +
                      " ORDER BY created_to DESC, first_id DESC LIMIT @take";
            var rows = (await connection.QueryAsync<BatchRow>(new CommandDefinition(sql, parameters, transaction,
                cancellationToken: cancellationToken))).ToList();
            foreach (var row in rows)
            {
                if (found.Count >= need)
                {
                    if (!sorted) found.Sort(NewestFirst);
                    sorted = true;
                    if (row.CreatedTo < Micros.From(found[need - 1].CreatedAt)) return found;
                }
                foreach (var record in RunBundleJson.ReadBatchRecords(row.Runs, row.WorkflowId, row.Status))
                {
                    var created = Micros.From(record.CreatedAt);
                    if (created < from || created >= to) continue;
                    if (cursor is { } at && (created > at.At || (created == at.At && string.CompareOrdinal(record.Id, at.Id) >= 0))) continue;
                    found.Add(record);
                    sorted = false;
                }
            }
            if (rows.Count < BatchRowsPerRead) return found;
            last = (rows[^1].CreatedTo, rows[^1].FirstId);
        }
    }

    /// <summary>Newest first, then by id from the highest: the listing's order and its cursor's.</summary>
    private static int NewestFirst(ExecutionRecord a, ExecutionRecord b)
    {
        var byTime = Micros.From(b.CreatedAt).CompareTo(Micros.From(a.CreatedAt));
        return byTime != 0 ? byTime : string.CompareOrdinal(b.Id, a.Id);
    }

    /// <summary>
    /// Removes the batched run <paramref name="id"/>: its row is written again without it, or goes when it was the
    /// last. A run stored in two rows (a batch retried after its commit's answer was lost, split differently the
    /// second time) goes from both.
    /// </summary>
    private async Task<bool> DeleteBatchedAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var removed = false;
        while (await FindBatchedAsync(connection, transaction, id, cancellationToken, forUpdate: true) is { } found)
        {
            removed = true;
            using var json = RunBundleJson.Rent();
            var rest = json.WithoutRun(found.Row.Runs, id, found.Row.WorkflowId, found.Row.Status);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM execution_batches WHERE first_id = @firstId",
                new { firstId = found.Row.FirstId }, transaction, cancellationToken: cancellationToken));
            if (rest is not { } kept) continue;
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = SaveBatchSql;
            AddBatchParameters(insert.Parameters, insert.CreateParameter, kept.Head, kept.Runs);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return removed;
    }

    /// <summary>Whether a batch row holds the run <paramref name="id"/> (every batched run is finished).</summary>
    private async Task<bool> IsBatchedAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken) =>
        await FindBatchedAsync(connection, transaction, id, cancellationToken) is not null;

    private sealed class BatchRow
    {
        public string FirstId { get; set; } = "";
        public string? WorkflowId { get; set; }
        public string Status { get; set; } = "";
        public long CreatedTo { get; set; }
        public byte[] Runs { get; set; } = [];
    }
}
