namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Results_marked_as_json_are_stored_as_they_are_and_come_back_the_same()
    {
        string[] results = ["[0,1,2,3]", """{"text":"é \"q\"","n":[1.5,null,true]}""", "\"a string\"", "-0.25", "null"];
        var nodes = results.Select((result, i) =>
            new NodeRunRecord("sync-json", $"n{i}", "expression", null, null, "completed", T0.AddSeconds(i), 1, result, false, null)
            {
                ResultIsJson = true,
            }).ToList();
        var record = Execution("sync-json", T0) with { Mode = "sync", StartedAt = T0, EndedAt = T0.AddSeconds(5), DurationMs = 5000 };

        await Store.Executions.SaveCompletedAsync([new CompletedExecution(record, nodes, [])], CancellationToken.None);

        // The mark is not kept: what comes back is the same record without it.
        Assert.Equal(nodes.Select(n => n with { ResultIsJson = false }), await Store.Executions.GetNodeRunsAsync("sync-json", CancellationToken.None));
        // Embedded as JSON, not as an escaped string ("[0,1,2,3]").
        Assert.Equal(1, await ScalarAsync(Options, "SELECT COUNT(*) FROM executions WHERE id = 'sync-json' AND nodes_json LIKE '%,[0,1,2,3]%'"));
    }
}
