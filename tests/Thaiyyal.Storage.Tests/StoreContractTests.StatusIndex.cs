using Dapper;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    private const string StatusIndex = "ix_executions_status_unsucceeded";

    /// <summary>The database <paramref name="options"/> point at, for running migrations by hand.</summary>
    private protected abstract SqlDialect DialectOf(StoreOptions options);

    /// <summary>The plan the database chooses for <paramref name="sql"/> with its parameters (named <c>@name</c>), as text.</summary>
    protected abstract Task<string> QueryPlanAsync(StoreOptions options, string sql, IReadOnlyDictionary<string, object?> parameters);

    [Fact]
    public async Task The_status_index_leaves_succeeded_runs_out_and_queries_for_other_statuses_read_through_it()
    {
        var runs = Enumerable.Range(0, 300).Select(i => new CompletedExecution(Execution($"s{i:D3}", T0.AddSeconds(i)), [], [])).ToList();
        runs.AddRange(Enumerable.Range(0, 5).Select(i => new CompletedExecution(Execution($"f{i}", T0.AddSeconds(2 * i), ExecutionStatus.Failed), [], [])));
        await Store.Executions.SaveCompletedAsync(runs, None);
        await Store.Executions.InsertAsync(Execution("q1", T0.AddSeconds(7), ExecutionStatus.Queued), None);
        await Store.Executions.InsertAsync(Execution("r1", T0.AddSeconds(8), ExecutionStatus.Running, replica: "a"), None);
        await ExecuteRawAsync(Options, "ANALYZE");

        var mark = new Dictionary<string, object?> { ["errorJson"] = "{}", ["now"] = 0L, ["anyReplica"] = 0, ["replica"] = "a" };
        var none = new Dictionary<string, object?>();
        foreach (var (what, sql, parameters) in new (string, string, IReadOnlyDictionary<string, object?>)[]
                 {
                     ("claim", SqlExecutionRepository.OldestQueuedSql, none),
                     ("count queued", SqlExecutionRepository.CountQueuedSql, none),
                     ("mark interrupted", SqlExecutionRepository.MarkInterruptedSql, mark),
                     ("list failed", ListSql(ExecutionStatus.Failed, out var failedParameters), failedParameters),
                 })
        {
            var plan = await QueryPlanAsync(Options, sql, parameters);
            Assert.True(plan.Contains(StatusIndex, StringComparison.Ordinal), $"{what}: {plan}");
        }
        var succeededPlan = await QueryPlanAsync(Options, ListSql(ExecutionStatus.Succeeded, out var succeededParameters), succeededParameters);
        Assert.DoesNotContain(StatusIndex, succeededPlan, StringComparison.Ordinal);

        // The listings still answer in full, newest first.
        var failed = await Store.Executions.ListAsync(new ExecutionQuery { Status = ExecutionStatus.Failed, Limit = 3 }, None);
        Assert.Equal(["f4", "f3", "f2"], failed.Items.Select(e => e.Id));
        var rest = await Store.Executions.ListAsync(new ExecutionQuery { Status = ExecutionStatus.Failed, Limit = 3, Cursor = failed.NextCursor }, None);
        Assert.Equal(["f1", "f0"], rest.Items.Select(e => e.Id));
        var succeeded = await Store.Executions.ListAsync(new ExecutionQuery { Status = ExecutionStatus.Succeeded, Limit = 2 }, None);
        Assert.Equal(["s299", "s298"], succeeded.Items.Select(e => e.Id));
        Assert.Equal(1, await Store.Executions.CountQueuedAsync(None));
        Assert.Equal("q1", (await Store.Executions.ClaimNextAsync("a", TimeSpan.FromMinutes(1), None))!.Id);
        Assert.Equal(2, await Store.Executions.MarkInterruptedAsync("a", "stopped", None));
    }

    [Fact]
    public async Task A_database_of_schema_version_6_upgrades_with_its_runs_and_reads_them_through_the_new_index()
    {
        var options = (await CreateDatabaseAsync()) with { EncryptionKey = TestKey };
        if (options.DatabaseUrl is null) Directory.CreateDirectory(options.DataDirectory);
        await SchemaMigrator.MigrateAsync(DialectOf(options), None, upTo: 6);
        foreach (var (id, status, second) in new[] { ("old-ok", "succeeded", 1), ("old-failed", "failed", 2), ("old-queued", "queued", 3) })
        {
            await ExecuteRawAsync(options,
                "INSERT INTO executions (id, payload_hash, mode, source, status, created_at, restarts) " +
                $"VALUES ('{id}', '{new string('a', 64)}', 'async', 'api', '{status}', {Micros.From(T0.AddSeconds(second))}, 0)");
        }

        var upgraded = await OpenAsync(options);
        Assert.Equal(SchemaMigrator.LatestKnownVersion, await ScalarAsync(options, """SELECT MAX("Version") FROM "VersionInfo" """));
        Assert.Equal(["old-failed"], (await upgraded.Executions.ListAsync(new ExecutionQuery { Status = ExecutionStatus.Failed }, None)).Items.Select(e => e.Id));
        Assert.Equal(["old-ok"], (await upgraded.Executions.ListAsync(new ExecutionQuery { Status = ExecutionStatus.Succeeded }, None)).Items.Select(e => e.Id));
        Assert.Equal(1, await upgraded.Executions.CountQueuedAsync(None));
        Assert.Contains(StatusIndex, await QueryPlanAsync(options, ListSql(ExecutionStatus.Failed, out var parameters), parameters), StringComparison.Ordinal);
    }

    private static string ListSql(ExecutionStatus status, out IReadOnlyDictionary<string, object?> parameters)
    {
        var (sql, values) = SqlExecutionRepository.ListQuery(new ExecutionQuery { Status = status, Limit = 50 }, 50);
        parameters = values.ParameterNames.ToDictionary(name => name, name => (object?)values.Get<object>(name));
        return sql;
    }
}

public abstract partial class StoreContractTests
{
    [Theory]
    [InlineData("3")]
    [InlineData("done")]
    public async Task A_row_whose_status_is_no_status_is_a_damaged_row_not_another_status(string stored)
    {
        await Store.Executions.InsertAsync(Execution("damaged-status", T0, ExecutionStatus.Queued), None);
        await ExecuteRawAsync(Options, $"UPDATE executions SET status = '{stored}' WHERE id = 'damaged-status'");

        var refusal = await Assert.ThrowsAsync<StorageException>(() => Store.Executions.GetAsync("damaged-status", None));

        Assert.Equal($"unknown execution status '{stored}' in the executions table", refusal.Message);
    }
}
