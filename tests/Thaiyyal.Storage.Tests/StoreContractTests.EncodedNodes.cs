namespace Thaiyyal.Storage.Tests;

/// <summary>
/// Node runs written straight into their stored form by <see cref="NodeRunsEncoder"/> (the history writer's way) come
/// back as the same node runs as records saved the other way, in a batch row and in a row of the run's own.
/// </summary>
public abstract partial class StoreContractTests
{
    private static NodeRunRecord[] NodesOf(string id) =>
    [
        new(id, "n1", "expression", null, null, "completed", T0.AddSeconds(1), 2.25, """{"text":"a \"quoted\" ünïcode","list":[1,2.5]}""", false, null)
            { StartSequence = 2, EndSequence = 3, EndedAt = T0.AddSeconds(1).AddTicks(22_500), ResultIsJson = true },
        new(id, "body", "expression", "loop", 1, "completed", T0.AddSeconds(2), 0.0001, "not json at all: \\ \u0001", false, null)
            { StartSequence = 4, EndSequence = 5, EndedAt = T0.AddSeconds(2).AddTicks(10) },
        new(id, "n2", "operation", null, null, "failed", T0.AddSeconds(3), 1234567.8901, null, false, "division by zero") { StartSequence = 6, EndSequence = 7 },
        new(id, "n3", "number", null, null, "completed", T0.AddSeconds(4), 1.0 / 3, null, false, null)
            { StartSequence = 8, EndSequence = 9, EndedAt = T0.AddSeconds(4).AddTicks(3_330), ResultInAnswer = true },
        new(id, "n4", "delay", null, null, "unfinished", T0.AddSeconds(5), null, null, false, null) { StartSequence = 10 },
        new(id, "n5", "condition", null, null, "skipped", T0.AddSeconds(6), null, null, false, null) { StartSequence = 11 },
        new(id, "n6", "expression", null, null, "completed", T0.AddSeconds(7), 0, """{"truncated":true,"original_bytes":70000,"preview":"[1,"}""", true, null)
            { StartSequence = 12, EndSequence = 13, EndedAt = T0.AddSeconds(7), ResultIsJson = true },
    ];

    private static EncodedNodeRuns Encode(IEnumerable<NodeRunRecord> nodes)
    {
        using var encoder = new NodeRunsEncoder();
        encoder.Start();
        foreach (var n in nodes)
        {
            encoder.Add(new NodeRunFields(n.NodeId, n.NodeType, n.Status, n.StartedAt)
            {
                ScopeNodeId = n.ScopeNodeId, Iteration = n.Iteration, DurationMs = n.DurationMs, ResultJson = n.ResultJson,
                ResultIsJson = n.ResultIsJson, ResultTruncated = n.ResultTruncated, ResultInAnswer = n.ResultInAnswer, Error = n.Error,
                StartSequence = n.StartSequence, EndSequence = n.EndSequence, EndedAt = n.EndedAt,
            });
        }
        return encoder.Finish()!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Encoded_node_runs_come_back_as_the_records_they_were_written_from(bool batched)
    {
        // A server id goes to a batch row, any other to a row of its own.
        var id = batched ? ServerId(40) : "encoded-nodes-1";
        var nodes = NodesOf(id);
        var run = SyncRun(id, T0) with { EncodedNodes = Encode(nodes) };

        await Store.Executions.SaveCompletedAsync([run], None);

        // Not stored, so not read back: whether the server's writer made the result text.
        var expected = nodes.Select(n => n with { ResultIsJson = false }).ToList();
        Assert.Equal(expected, await Store.Executions.GetNodeRunsAsync(id, None));
        Assert.Equal(run.Execution, await Store.Executions.GetAsync(id, None));
        Assert.Equal(batched ? 1 : 0, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
    }

    [Fact]
    public async Task A_run_with_encoded_node_runs_and_node_run_records_of_its_own_is_refused()
    {
        var id = ServerId(41);
        var run = SyncRun(id, T0) with { EncodedNodes = Encode(NodesOf(id)[..1]), Nodes = NodesOf(id)[1..2] };

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.SaveCompletedAsync([run], None));

        Assert.Contains("exclusive", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Store.Executions.GetAsync(id, None));
    }

    [Fact]
    public void An_encoder_given_no_node_runs_writes_nothing()
    {
        using var encoder = new NodeRunsEncoder();
        encoder.Start();
        Assert.Null(encoder.Finish());
        Assert.Throws<InvalidOperationException>(() => new NodeRunsEncoder().Add(new NodeRunFields("n", "number", "completed", T0)));
    }
}
