using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

public sealed class ForEachNodeTests
{
    private static string Loop(string items, string loopData, string body, string bodyEdges = "", string after = "", string afterEdges = "") => $$"""
        {'nodes':[
          {'id':'items','type':'test_value','data':{'value':{{items}} } },
          {'id':'loop','type':'for_each','data':{{loopData}} }
          {{body}} {{after}}],
         'edges':[{'source':'items','target':'loop'} {{bodyEdges}} {{afterEdges}}]}
        """;

    [Fact]
    public async Task Without_body_counts_the_elements()
    {
        var result = await RunAsync(Loop("[1,2,3]", "{'max_iterations':10}", ""));
        Assert.Equal("""{"failed":0,"input_count":3,"iterations":3,"successful":3}""", ResultOf(result, "loop"));
    }

    [Theory]
    [InlineData("3", "{}", "for_each node requires array input, got float64")]
    [InlineData("{'range':[1,2]}", "{}", "for_each node requires array input, got map[string]interface {}")]
    [InlineData("[1,2,3]", "{'max_iterations':2}", "for_each exceeds max iterations: 3 > 2")]
    public async Task Without_body_rejects_what_the_original_rejected(string items, string data, string message)
    {
        var result = await RunAsync(Loop(items, data, ""));
        Assert.Equal($"error executing node loop: {message}", Error(result));
    }

    [Fact]
    public async Task Without_input_fails()
    {
        var result = await RunAsync("{'nodes':[{'id':'loop','type':'for_each','data':{}}],'edges':[]}");
        Assert.Equal("error executing node loop: for_each node needs at least 1 input", Error(result));
    }

    [Fact]
    public async Task Runs_the_body_once_per_element_and_keeps_the_results_in_order()
    {
        var result = await RunAsync(Loop("[1,2,3]", "{}",
            ",{'id':'sq','type':'test_square','parentId':'loop','data':{}}",
            after: ",{'id':'sum','type':'test_sum','data':{}}",
            afterEdges: ",{'source':'loop','target':'sum'}"));
        Assert.Equal("[1,4,9]", ResultOf(result, "loop"));
        Assert.Equal("14", ResultOf(result, "sum"));
        Assert.False(result.NodeResults.ContainsKey("sq"), "body nodes are not top-level results");
    }

    [Fact]
    public async Task Binds_item_and_index_for_the_body()
    {
        var result = await RunAsync(Loop("['a','b']", "{}", ",{'id':'v','type':'test_vars','parentId':'loop','data':{}}"));
        Assert.Equal("""[{"index":0,"input":"a","item":"a"},{"index":1,"input":"b","item":"b"}]""", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Unwraps_an_array_the_way_filter_does_when_it_has_a_body()
    {
        var result = await RunAsync(Loop("{'other':1,'items':[2,3]}", "{}", ",{'id':'sq','type':'test_square','parentId':'loop','data':{}}"));
        Assert.Equal("[4,9]", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Chains_body_nodes_and_collects_several_exits_by_id()
    {
        var result = await RunAsync(Loop("[1,2]", "{}",
            ",{'id':'sq','type':'test_square','parentId':'loop','data':{}},{'id':'plus','type':'test_add','parentId':'loop','data':{'amount':10}},{'id':'v','type':'test_vars','parentId':'loop','data':{}}",
            ",{'source':'sq','target':'plus'}"));
        Assert.Equal(
            """[{"plus":11,"v":{"index":0,"input":1,"item":1}},{"plus":14,"v":{"index":1,"input":2,"item":2}}]""",
            ResultOf(result, "loop"));
    }

    [Fact]
    public async Task An_empty_array_runs_no_body()
    {
        var result = await RunAsync(Loop("[]", "{}", ",{'id':'bad','type':'test_raise','parentId':'loop','data':{}}"));
        Assert.Equal("[]", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task A_failing_body_node_is_named_with_the_element_index()
    {
        var result = await RunAsync(Loop("[1,'x',3]", "{}", ",{'id':'sq','type':'test_square','parentId':'loop','data':{}}"));
        Assert.Equal("error executing node loop: item 1: error executing node sq: cannot square string", Error(result));
        Assert.Equal("loop", result.Error!.NodeId);
        Assert.Equal(ExecutionErrorKind.NodeFailed, result.Error.Kind);
    }

    [Fact]
    public async Task Runs_elements_concurrently_up_to_max_concurrency()
    {
        // Each body execution waits until three are in flight: this only finishes if three really overlap.
        var result = await RunAsync(Loop("[1,2,3]", "{'max_concurrency':3}", ",{'id':'meet','type':'test_rendezvous','parentId':'loop','data':{'parties':3}}"),
            NewEngine(parallelism: 4));
        Assert.Equal("[1,2,3]", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Never_exceeds_max_concurrency_and_keeps_input_order()
    {
        var engine = NewEngine(parallelism: 4);
        var result = await RunAsync(Loop("[1,2,3,4,5,6,7,8]", "{'max_concurrency':2}",
            ",{'id':'meet','type':'test_rendezvous','parentId':'loop','data':{'parties':1}},{'id':'sq','type':'test_square','parentId':'loop','data':{}}",
            ",{'source':'meet','target':'sq'}"), engine);
        Assert.Equal("[1,4,9,16,25,36,49,64]", ResultOf(result, "loop"));
        Assert.InRange(RendezvousNode.MaxInFlight[result.ExecutionId + "/meet"], 1, 2);
    }

    [Fact]
    public async Task Concurrent_runs_report_the_first_failure_in_input_order()
    {
        var result = await RunAsync(Loop("[1,2,'x',4,'y',6]", "{'max_concurrency':3}", ",{'id':'sq','type':'test_square','parentId':'loop','data':{}}"),
            NewEngine(parallelism: 4));
        Assert.Equal("error executing node loop: item 2: error executing node sq: cannot square string", Error(result));
    }

    [Fact]
    public async Task Every_element_counts_as_a_loop_iteration()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxLoopIterations = 3 });
        var result = await RunAsync(Loop("[1,2,3,4,5]", "{}", ",{'id':'sq','type':'test_square','parentId':'loop','data':{}}"), engine);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Equal("error executing node loop: maximum loop iterations exceeded: 4 (limit: 3)", result.Error.Message);
    }

    [Fact]
    public async Task Body_node_executions_count_towards_max_node_executions()
    {
        // items + loop + 2 body nodes × 3 elements = 8 executions.
        var body = ",{'id':'sq','type':'test_square','parentId':'loop','data':{}},{'id':'plus','type':'test_add','parentId':'loop','data':{}}";
        var edges = ",{'source':'sq','target':'plus'}";
        var within = await RunAsync(Loop("[1,2,3]", "{}", body, edges), NewEngine(limits: ExecutionLimits.Default with { MaxNodeExecutions = 8 }));
        Assert.Equal("[2,5,10]", ResultOf(within, "loop"));
        Assert.Equal(8, within.NodesExecuted);

        var over = await RunAsync(Loop("[1,2,3]", "{}", body, edges), NewEngine(limits: ExecutionLimits.Default with { MaxNodeExecutions = 7 }));
        Assert.Equal(ExecutionErrorKind.LimitExceeded, over.Error!.Kind);
        Assert.Contains("error executing node plus: maximum node executions exceeded: 8 (limit: 7)", over.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Cancelling_the_run_stops_a_long_delay_inside_the_body(int parallelism)
    {
        using var caller = new CancellationTokenSource();
        var observer = new RecordingObserver { Started = e => { if (e.NodeId == "wait") caller.Cancel(); } };
        var run = RunAsync(Loop("[1,2,3]", "{}", ",{'id':'wait','type':'delay','parentId':'loop','data':{'duration':'1h'}}"),
            NewEngine(parallelism: parallelism), new RunOptions { Observer = observer }, caller.Token);
        // The guard only catches a hang; a prompt stop finishes long before it.
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
        Assert.Single(observer.Events.OfType<NodeStartedEvent>(), e => e.NodeId == "wait");
        Assert.Equal("loop", observer.Single<NodeStartedEvent>("wait").ScopeNodeId);
    }

    [Fact]
    public async Task Nested_loops_see_the_innermost_item()
    {
        var result = await RunAsync("""
            {'nodes':[
              {'id':'rows','type':'test_value','data':{'value':[[1,2],[3]]}},
              {'id':'outer','type':'for_each','data':{}},
              {'id':'inner','type':'for_each','parentId':'outer','data':{}},
              {'id':'v','type':'test_vars','parentId':'inner','data':{}}],
             'edges':[{'source':'rows','target':'outer'}]}
            """);
        Assert.Equal(
            """[[{"index":0,"input":1,"item":1},{"index":1,"input":2,"item":2}],[{"index":0,"input":3,"item":3}]]""",
            ResultOf(result, "outer"));
    }

    [Fact]
    public async Task A_loop_inside_a_retry_runs_again_after_a_failing_element()
    {
        var result = await RunAsync("""
            {'nodes':[
              {'id':'items','type':'test_value','data':{'value':[1,2]}},
              {'id':'again','type':'retry','data':{'max_attempts':3,'initial_delay':'1ms'}},
              {'id':'loop','type':'for_each','parentId':'again','data':{}},
              {'id':'f','type':'test_flaky','parentId':'loop','data':{'failures':1}}],
             'edges':[{'source':'items','target':'again'}]}
            """);
        // Attempt 1 fails on element 0 (call 1); attempt 2 runs both elements (calls 2 and 3).
        Assert.Equal(
            """{"attempts":2,"success":true,"value":[{"call":2,"value":1},{"call":3,"value":2}]}""",
            ResultOf(result, "again"));
    }
}
