using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Execution;

public sealed class SchedulerTests
{
    private static string Num(string id, double v) => $$$"""{"id":"{{{id}}}","type":"number","data":{"value":{{{v}}}}}""";

    [Fact]
    public async Task Runs_in_the_original_topological_order()
    {
        // workflow-format.md §5 worked example: nodes b, a, c, x; edges a→c, b→x, b→c → order a, b, x, c.
        var json = """
            {"nodes":[{"id":"b","type":"test_log","data":{"tag":"b"}},{"id":"a","type":"test_log","data":{"tag":"a"}},
                      {"id":"c","type":"test_log","data":{"tag":"c"}},{"id":"x","type":"test_log","data":{"tag":"x"}}],
             "edges":[{"source":"a","target":"c"},{"source":"b","target":"x"},{"source":"b","target":"c"}]}
            """;
        foreach (var parallelism in new[] { 1, 4 })
        {
            var result = await TestEngines.RunAsync(json, parallelism);
            Assert.Equal("abxc", result.NodeResults["c"].AsString());
        }
    }

    [Fact]
    public async Task Initial_order_is_ordinal_by_id()
    {
        var json = """{"nodes":[{"id":"2","type":"test_log","data":{"tag":"2"}},{"id":"10","type":"test_log","data":{"tag":"10"}},{"id":"B","type":"test_log","data":{"tag":"B"}},{"id":"a","type":"test_log","data":{"tag":"a"}}]}""";
        var result = await TestEngines.RunAsync(json);
        Assert.Equal("102Ba", result.NodeResults["a"].AsString());
    }

    [Fact]
    public async Task Inputs_follow_payload_edge_order()
    {
        var json = $$$"""{"nodes":[{{{Num("n1", 10)}}},{{{Num("n2", 5)}}},{"id":"op","type":"operation","data":{"op":"subtract"}}],"edges":[{"source":"n2","target":"op"},{"source":"n1","target":"op"}]}""";
        var result = await TestEngines.RunAsync(json);
        Assert.Equal(-5, result.NodeResults["op"].AsNumber());
    }

    [Fact]
    public async Task A_handle_that_is_never_satisfied_skips_the_target_and_everything_after_it()
    {
        var json = $$$"""
            {"nodes":[{{{Num("n", 1)}}},{"id":"v","type":"visualization","data":{}},{"id":"after","type":"renderer","data":{}}],
             "edges":[{"source":"n","target":"v","sourceHandle":"true"},{"source":"v","target":"after"}]}
            """;
        var result = await TestEngines.RunAsync(json);
        Assert.True(result.Success);
        Assert.Equal(["n"], result.NodeResults.Keys);
        // "n" has an outgoing edge, so it is not terminal: nothing qualifies as final output.
        Assert.True(result.FinalOutput.IsNull);
    }

    [Fact]
    public async Task An_unconditional_live_edge_wins_over_an_unsatisfied_handle()
    {
        var json = $$$"""
            {"nodes":[{{{Num("a", 1)}}},{{{Num("b", 2)}}},{"id":"v","type":"visualization","data":{}}],
             "edges":[{"source":"a","target":"v","sourceHandle":"true"},{"source":"b","target":"v"}]}
            """;
        var result = await TestEngines.RunAsync(json);
        // Inputs ignore conditions: the first input is a's result.
        Assert.Equal(1, result.NodeResults["v"].AsNumber());
    }

    [Fact]
    public async Task Final_output_is_the_first_terminal_in_topological_order()
    {
        var json = """{"nodes":[{"id":"z","type":"text_input","data":{"text":"z"}},{"id":"m","type":"text_input","data":{"text":"m"}}]}""";
        var result = await TestEngines.RunAsync(json, parallelism: 4);
        Assert.Equal("m", result.FinalOutput.AsString());
    }

    [Fact]
    public async Task The_first_failure_stops_the_run_and_keeps_partial_results()
    {
        var json = $$$"""
            {"nodes":[{{{Num("a", 1)}}},{"id":"f","type":"test_fail","data":{"message":"disk full"}},{"id":"later","type":"renderer","data":{}}],
             "edges":[{"source":"f","target":"later"}]}
            """;
        var result = await TestEngines.RunAsync(json);
        Assert.False(result.Success);
        Assert.Equal(new ExecutionError(ExecutionErrorKind.NodeFailed, "error executing node f: disk full", "f", "test_fail", "disk full") { InnermostNodeId = "f" }, result.Error);
        Assert.True(result.NodeResults.ContainsKey("a"));
        Assert.False(result.NodeResults.ContainsKey("later"));
        Assert.True(result.FinalOutput.IsNull);
    }

    [Fact]
    public async Task An_unexpected_exception_in_a_node_is_a_named_failure()
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"f","type":"test_fail","data":{"message":"bad state","unexpected":true}}]}""");
        Assert.Equal("error executing node f: bad state", result.Error!.Message);
    }

    [Fact]
    public async Task With_several_independent_failures_the_earliest_in_order_is_reported()
    {
        var json = """{"nodes":[{"id":"b","type":"test_fail","data":{"message":"second"}},{"id":"a","type":"test_fail","data":{"message":"first"}}]}""";
        foreach (var parallelism in new[] { 1, 4 })
        {
            var result = await TestEngines.RunAsync(json, parallelism);
            Assert.Equal("error executing node a: first", result.Error!.Message);
        }
    }

    [Fact]
    public async Task The_node_execution_limit_fails_the_node_that_exceeds_it()
    {
        var nodes = string.Join(",", Enumerable.Range(0, 4).Select(i => Num($"n{i}", i)));
        var result = await TestEngines.RunAsync($$$"""{"nodes":[{{{nodes}}}]}""", limits: ExecutionLimits.Default with { MaxNodeExecutions = 3 });
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Equal("error executing node n3: maximum node executions exceeded: 4 (limit: 3)", result.Error.Message);
    }

    [Fact]
    public async Task The_deadline_stops_a_sleeping_node_with_the_spec_text()
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"s","type":"test_sleep","data":{"ms":60000}}]}""",
            limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(100) });
        Assert.Equal(new ExecutionError(ExecutionErrorKind.Timeout, "workflow execution timeout: exceeded 100ms"), result.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task The_deadline_holds_even_when_a_node_ignores_cancellation(int parallelism)
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"s","type":"test_stubborn","data":{}}]}""", parallelism,
            ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(ExecutionErrorKind.Timeout, result.Error!.Kind);
    }

    /// <summary>A chain of <paramref name="count"/> <c>test_busy</c> nodes with these data.</summary>
    private static string BusyChain(int count, string data)
    {
        var nodes = string.Join(",", Enumerable.Range(0, count).Select(i => $$$"""{"id":"b{{{i}}}","type":"test_busy","data":{{{data}}}}"""));
        var edges = string.Join(",", Enumerable.Range(1, count - 1).Select(i => $$$"""{"source":"b{{{i - 1}}}","target":"b{{{i}}}"}"""));
        return $$$"""{"nodes":[{{{nodes}}}],"edges":[{{{edges}}}]}""";
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task The_deadline_stops_nodes_that_finish_at_once_and_never_ask_for_the_token(int parallelism)
    {
        // No node waits or asks for the run's token, so no timer watches the deadline: the scheduler reads a clock between nodes.
        var result = await TestEngines.RunAsync(BusyChain(6, """{"ms":40}"""), parallelism,
            ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(100) });
        Assert.Equal(new ExecutionError(ExecutionErrorKind.Timeout, "workflow execution timeout: exceeded 100ms"), result.Error);
        Assert.InRange(result.NodesExecuted, 1, 4);
    }

    [Fact]
    public async Task The_deadline_stops_a_long_chain_of_nodes_that_finish_at_once()
    {
        // Past the first nodes the run watches its deadline with a timer (and the clock now and then), not the clock before each node.
        var result = await TestEngines.RunAsync(BusyChain(30, """{"ms":5}"""),
            limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(60) });
        Assert.Equal(ExecutionErrorKind.Timeout, result.Error!.Kind);
        Assert.InRange(result.NodesExecuted, 1, 29);
    }

    [Fact]
    public async Task With_a_substituted_clock_the_deadline_is_read_from_it_between_nodes()
    {
        var engine = TestEngines.Create(limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromSeconds(1) }, clock: new FakeTimeProvider());
        // Each node moves the clock on by 600 ms: the second starts at 600 ms, before the deadline; the third would start after it.
        var result = await engine.ExecuteAsync(engine.Parse(BusyChain(3, """{"ms":600,"advance":true}""")));
        Assert.Equal(new ExecutionError(ExecutionErrorKind.Timeout, "workflow execution timeout: exceeded 1s"), result.Error);
        Assert.Equal(2, result.NodesExecuted);
    }

    [Fact]
    public async Task A_node_that_first_asks_for_the_token_after_the_deadline_gets_one_that_has_fired()
    {
        // The token is made on first use; past the deadline it must have fired already, not wait for a timer callback.
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"late","type":"test_busy","data":{"ms":80,"token":true}}]}""",
            limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(20) });
        Assert.Equal(Thaiyyal.Engine.Workflows.Value.True, result.NodeResults["late"]);
    }

    [Fact]
    public async Task Caller_cancellation_stops_nodes_that_finish_at_once_and_never_ask_for_the_token()
    {
        // Cancelled from a thread of its own: a timer's callback needs a pool thread, and the test host may have none spare
        // while this one is kept busy.
        using var cts = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(60);
            cts.Cancel();
        }) { IsBackground = true };
        canceller.Start();
        var result = await TestEngines.RunAsync(BusyChain(6, """{"ms":40}"""), cancellationToken: cts.Token);
        canceller.Join();
        Assert.Equal(new ExecutionError(ExecutionErrorKind.Cancelled, "workflow execution cancelled"), result.Error);
        Assert.InRange(result.NodesExecuted, 1, 5);
    }

    [Fact]
    public async Task Caller_cancellation_stops_the_run_and_says_so()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"s","type":"test_sleep","data":{"ms":60000}}]}""", cancellationToken: cts.Token);
        Assert.Equal(new ExecutionError(ExecutionErrorKind.Cancelled, "workflow execution cancelled"), result.Error);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_no_node()
    {
        var observer = new RecordingObserver();
        var engine = TestEngines.Create();
        var result = await engine.ExecuteAsync(engine.Parse($$$"""{"nodes":[{{{Num("a", 1)}}}]}"""), new RunOptions { Observer = observer }, new CancellationToken(true));
        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
        Assert.DoesNotContain(observer.Events, e => e.StartsWith("node", StringComparison.Ordinal));
    }

    [Fact]
    public async Task State_touching_nodes_keep_topological_order_when_branches_run_in_parallel()
    {
        // Independent sleeps of different lengths feed log nodes; the log must still read in topological order.
        var json = """
            {"nodes":[{"id":"s1","type":"test_sleep","data":{"ms":60}},{"id":"s2","type":"test_sleep","data":{"ms":1}},
                      {"id":"l1","type":"test_log","data":{"tag":"1"}},{"id":"l2","type":"test_log","data":{"tag":"2"}}],
             "edges":[{"source":"s1","target":"l1"},{"source":"s2","target":"l2"}]}
            """;
        var sequential = await TestEngines.RunAsync(json, 1);
        var parallel = await TestEngines.RunAsync(json, 4);
        Assert.Equal(sequential.NodeResults, parallel.NodeResults);
        Assert.Equal("12", parallel.NodeResults["l2"].AsString());
    }

    [Fact]
    public async Task Independent_branches_overlap_in_time()
    {
        var observer = new RecordingObserver();
        var engine = TestEngines.Create(parallelism: 4);
        var workflow = engine.Parse("""{"nodes":[{"id":"a","type":"test_sleep","data":{"ms":200}},{"id":"b","type":"test_sleep","data":{"ms":200}}]}""");
        var result = await engine.ExecuteAsync(workflow, new RunOptions { Observer = observer });
        Assert.True(result.Success);
        var a = observer.Interval("a");
        var b = observer.Interval("b");
        Assert.True(a.Start < b.End && b.Start < a.End, $"a {a} and b {b} should overlap");
    }

    [Fact]
    public async Task Random_graphs_give_identical_results_sequentially_and_in_parallel()
    {
        var random = new Random(1234);
        // Plans of up to 64 nodes keep their ready nodes in a bit mask, larger ones in a priority queue: both sides of the edge.
        int[] sizes = [30, 64, 65, 100];
        for (var round = 0; round < 40; round++)
        {
            var json = RandomGraph(random, sizes[round % sizes.Length]);
            var sequential = await TestEngines.RunAsync(json, 1);
            var parallel = await TestEngines.RunAsync(json, 8);
            Assert.Equal(sequential.Error?.Message, parallel.Error?.Message);
            // Partial results of a failed run depend on how far other branches got; successful runs must match exactly.
            if (sequential.Success) Assert.Equal(sequential.NodeResults, parallel.NodeResults);
            Assert.Equal(sequential.FinalOutput, parallel.FinalOutput);
        }
    }

    private static string RandomGraph(Random random, int size)
    {
        var nodes = new List<string>();
        var edges = new List<string>();
        for (var i = 0; i < size; i++)
        {
            var kind = i < 3 ? 0 : random.Next(4);
            nodes.Add(kind switch
            {
                0 => Num($"n{i}", random.Next(100)),
                1 => $$$"""{"id":"n{{{i}}}","type":"test_log","data":{"tag":"{{{i}}},"}}""",
                2 => $$$"""{"id":"n{{{i}}}","type":"operation","data":{"op":"add"}}""",
                _ => $$$"""{"id":"n{{{i}}}","type":"test_sleep","data":{"ms":{{{random.Next(3)}}}}}""",
            });
            if (i >= 3)
            {
                var inputs = kind == 2 ? 2 : random.Next(0, 3);
                for (var k = 0; k < inputs; k++) edges.Add($$$"""{"source":"n{{{random.Next(i)}}}","target":"n{{{i}}}"}""");
            }
        }
        return $$$"""{"nodes":[{{{string.Join(",", nodes)}}}],"edges":[{{{string.Join(",", edges)}}}]}""";
    }

    [Fact]
    public async Task Events_report_every_node_in_order_with_results()
    {
        var observer = new RecordingObserver();
        var engine = TestEngines.Create();
        var json = $$$"""
            {"workflow_id":"wf","nodes":[{{{Num("a", 2)}}},{"id":"v","type":"visualization","data":{}},{"id":"f","type":"test_fail","data":{}}],
             "edges":[{"source":"a","target":"v","sourceHandle":"nope"},{"source":"a","target":"f"}]}
            """;
        await engine.ExecuteAsync(engine.Parse(json), new RunOptions { Observer = observer, ExecutionId = "run-1" });
        Assert.Equal(["run started wf", "node started a", "node completed a 2", "node skipped v", "node started f", "node failed f boom", "run failed error executing node f: boom"], observer.Events);
    }

    [Fact]
    public async Task A_throwing_observer_does_not_change_the_outcome()
    {
        var engine = TestEngines.Create();
        var result = await engine.ExecuteAsync(engine.Parse($$$"""{"nodes":[{{{Num("a", 2)}}}]}"""), new RunOptions { Observer = new ThrowingObserver() });
        Assert.True(result.Success);
    }

    [Fact]
    public async Task A_1000_node_chain_and_a_2000_edge_fan_in_run_without_overflow()
    {
        var chain = new StringBuilder("""{"nodes":[{"id":"n0","type":"number","data":{"value":7}}""");
        for (var i = 1; i < 1000; i++) chain.Append($$$""",{"id":"n{{{i}}}","type":"renderer","data":{}}""");
        chain.Append("""],"edges":[""").AppendJoin(",", Enumerable.Range(1, 999).Select(i => $$$"""{"source":"n{{{i - 1}}}","target":"n{{{i}}}"}""")).Append("]}");
        var result = await TestEngines.RunAsync(chain.ToString());
        Assert.Equal(7, result.FinalOutput.AsNumber());

        var fan = new StringBuilder("""{"nodes":[{"id":"sink","type":"text_operation","data":{"text_op":"concat"}}""");
        for (var i = 0; i < 2000; i++) fan.Append($$$""",{"id":"s{{{i:D4}}}","type":"text_input","data":{"text":"x"}}""");
        fan.Append("""],"edges":[""").AppendJoin(",", Enumerable.Range(0, 2000).Select(i => $$$"""{"source":"s{{{i:D4}}}","target":"sink"}""")).Append("]}");
        var fanResult = await TestEngines.RunAsync(fan.ToString(), parallelism: 4);
        Assert.Equal(new string('x', 2000), fanResult.FinalOutput.AsString());
    }

    [Fact]
    public async Task Empty_workflow_succeeds_with_no_results()
    {
        var result = await TestEngines.RunAsync("{}");
        Assert.True(result.Success);
        Assert.Empty(result.NodeResults);
        Assert.True(result.FinalOutput.IsNull);
        Assert.Matches("^[0-9a-f]{16}$", result.ExecutionId);
    }

    [Fact]
    public async Task Every_run_gets_its_own_random_execution_id_with_every_hex_digit_varying()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2000; i++) ids.Add((await TestEngines.RunAsync("{}")).ExecutionId);
        Assert.Equal(2000, ids.Count);
        // 8 random bytes: no position is fixed (a GUID's version and variant digits must not leak into the id).
        for (var position = 0; position < 16; position++) Assert.True(ids.Select(id => id[position]).Distinct().Count() == 16, $"digit {position} does not vary fully");
    }

    private sealed class ThrowingObserver : ExecutionObserver
    {
        public override void OnNodeStarted(NodeStartedEvent e) => throw new InvalidOperationException("observer bug");
    }
}

public sealed class RecordingObserver : ExecutionObserver
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _starts = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ends = new();

    public IReadOnlyList<string> Events => [.. _events];

    public (DateTimeOffset Start, DateTimeOffset End) Interval(string nodeId) => (_starts[nodeId], _ends[nodeId]);

    public override void OnRunStarted(RunStartedEvent e) => _events.Enqueue($"run started {e.WorkflowId}");

    public override void OnRunCompleted(RunCompletedEvent e) => _events.Enqueue("run completed");

    public override void OnRunFailed(RunFailedEvent e) => _events.Enqueue($"run failed {e.Error.Message}");

    public override void OnNodeStarted(NodeStartedEvent e)
    {
        _starts[e.NodeId] = e.Timestamp;
        _events.Enqueue($"node started {e.NodeId}");
    }

    public override void OnNodeCompleted(NodeCompletedEvent e)
    {
        _ends[e.NodeId] = e.Timestamp;
        _events.Enqueue($"node completed {e.NodeId} {e.Result}");
    }

    public override void OnNodeFailed(NodeFailedEvent e) => _events.Enqueue($"node failed {e.NodeId} {e.Error}");

    public override void OnNodeSkipped(NodeSkippedEvent e) => _events.Enqueue($"node skipped {e.NodeId}");
}
