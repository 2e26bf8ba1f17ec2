using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Testing.Tests;

public sealed class RunnerTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<CaseResult> RunOne(string caseJson, TestRunSettings? settings = null, string workflow = TestFiles.Workflow)
    {
        var path = _files.Write("t.thaiyyal-test.json", $$"""{"workflow":"flow.json","cases":[{{caseJson}}]}""");
        var file = TestFileReader.Parse(path, File.ReadAllText(path), TestFileFormat.Json);
        return await new WorkflowTestRunner(settings).RunCaseAsync(file, (JsonObject)JsonNode.Parse(workflow)!, file.Cases[0]);
    }

    [Fact]
    public async Task A_passing_case_checks_node_results_final_output_skipped_and_asserts()
    {
        var result = await RunOne("""
            {"name":"ok","expect":{"node.sum":15,"node.big":{"condition_met":true},"node.big.path":"true","final_output":30,"skipped":["no"]},
             "assert":["node.sum == 15","node.yes > node.sum","input == 30"]}
            """);
        Assert.True(result.Passed, result.Describe());
    }

    [Fact]
    public async Task A_node_expectation_shows_expected_and_actual_and_the_path_that_led_there()
    {
        var result = await RunOne("""{"name":"bad","expect":{"node.yes":31}}""");
        var failure = Assert.Single(result.Failures);
        Assert.Equal("node.yes", failure.Check);
        Assert.Equal(["a", "sum", "big", "yes"], failure.NodePath);
        Assert.Equal("""
            node.yes: value differs
              at $
                - expected: 31
                + actual:   30
              path: a → sum → big → yes
            """.ReplaceLineEndings("\n"), result.Describe());
    }

    [Fact]
    public async Task Objects_match_partially_and_a_differing_field_is_named_by_its_path()
    {
        var extra = await RunOne("""{"name":"p","expect":{"node.big":{"condition_met":true,"value":15}}}""");
        Assert.True(extra.Passed, extra.Describe());
        var wrong = await RunOne("""{"name":"p","expect":{"node.big":{"condition_met":false,"nope":1}}}""");
        var diff = Assert.Single(wrong.Failures).Diff!;
        Assert.Contains("at $.condition_met\n    - expected: false\n    + actual:   true", diff, StringComparison.Ordinal);
        Assert.Contains("at $.nope\n    - expected: 1\n    + actual:   (missing)", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_overrides_node_data_and_changes_the_branch()
    {
        var result = await RunOne("""{"name":"s","set":{"a":{"value":1}},"expect":{"node.sum":6,"final_output":0,"skipped":["yes"]}}""");
        Assert.True(result.Passed, result.Describe());
    }

    [Fact]
    public async Task A_skipped_expectation_fails_when_the_node_ran()
    {
        var result = await RunOne("""{"name":"s","expect":{"skipped":["yes"]}}""");
        Assert.Equal("expected node 'yes' to be skipped, but it ran and gave 30", Assert.Single(result.Failures).Message);
    }

    [Fact]
    public async Task A_pinned_node_does_not_run_and_its_value_flows_downstream()
    {
        var result = await RunOne("""{"name":"p","pin":{"sum":7},"expect":{"node.sum":7,"final_output":0,"skipped":["yes"]}}""");
        Assert.True(result.Passed, result.Describe());
        // Only a, b, big and no ran: the pinned node is not an execution.
        Assert.Equal(4, result.Run!.NodesExecuted);
    }

    [Fact]
    public async Task Error_contains_passes_on_the_expected_failure_and_fails_on_success_or_another_error()
    {
        var divide = """{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":0}},{"id":"sum","type":"operation","data":{"op":"divide"}}],"edges":[{"source":"a","target":"sum"},{"source":"b","target":"sum"}]}""";
        var passes = await RunOne("""{"name":"f","expect":{"error_contains":"division by zero"}}""", workflow: divide);
        Assert.True(passes.Passed, passes.Describe());
        var other = await RunOne("""{"name":"f","expect":{"error_contains":"timeout"}}""", workflow: divide);
        var failure = Assert.Single(other.Failures);
        Assert.Equal("error_contains", failure.Check);
        Assert.Contains("- expected: \"timeout\"\n    + actual:   \"error executing node sum: division by zero\"", failure.Diff!, StringComparison.Ordinal);
        Assert.Equal(["a", "sum"], failure.NodePath);
        var succeeded = await RunOne("""{"name":"f","expect":{"error_contains":"division"}}""");
        Assert.Equal("expected the run to fail with \"division\", but it succeeded", Assert.Single(succeeded.Failures).Message);
    }

    [Fact]
    public async Task An_unexpected_failure_fails_the_case_naming_the_node()
    {
        var divide = """{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"z","type":"number","data":{"value":0}},{"id":"d","type":"operation","data":{"op":"divide"}}],"edges":[{"source":"a","target":"d"},{"source":"z","target":"d"}]}""";
        var result = await RunOne("""{"name":"f"}""", workflow: divide);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("the run failed: error executing node d: division by zero", failure.Message);
    }

    [Fact]
    public async Task A_false_or_broken_assertion_fails_with_its_text()
    {
        var result = await RunOne("""{"name":"a","assert":["node.sum > 100","node.sum + \"x\" > 1","node.sum"]}""");
        Assert.Equal(3, result.Failures.Count);
        Assert.Equal("node.sum > 100: is false", result.Failures[0].Message);
        Assert.StartsWith("node.sum + \"x\" > 1: cannot be evaluated", result.Failures[1].Message, StringComparison.Ordinal);
        Assert.Equal("node.sum: gave 15, not true or false", result.Failures[2].Message);
    }

    [Fact]
    public async Task Time_is_pinned_for_now_and_randomness_by_the_seed()
    {
        const string workflow = """
            {"nodes":[{"id":"t","type":"expression","data":{"expression":"year(now()) * 100 + month(now())"}},
              {"id":"items","type":"range","data":{"start":1,"end":50}},
              {"id":"list","type":"expression","data":{"expression":"input.range"}},
              {"id":"pick","type":"sample","data":{"count":3,"method":"random"}}],
             "edges":[{"source":"items","target":"list"},{"source":"list","target":"pick"},{"source":"items","target":"t"}]}
            """;
        var first = await RunOne("""{"name":"t","now":"2031-07-04T10:00:00Z","seed":7,"expect":{"node.t":203107}}""", workflow: workflow);
        Assert.True(first.Passed, first.Describe());
        var again = await RunOne("""{"name":"t","now":"2031-07-04T10:00:00Z","seed":7}""", workflow: workflow);
        var other = await RunOne("""{"name":"t","seed":8}""", workflow: workflow);
        var sample = first.Run!.NodeResults["pick"].AsObject()["sample"];
        Assert.Equal(sample, again.Run!.NodeResults["pick"].AsObject()["sample"]);
        Assert.NotEqual(sample, other.Run!.NodeResults["pick"].AsObject()["sample"]);
        Assert.Equal(202501, other.Run.NodeResults["t"].AsNumber());
    }

    private const string HttpWorkflow = """
        {"nodes":[{"id":"fetch","type":"http","data":{"url":"https://api.example.com/orders","method":"GET"}},
          {"id":"count","type":"expression","data":{"expression":"input.body.orders.length"}}],
         "edges":[{"source":"fetch","target":"count"}]}
        """;

    [Fact]
    public async Task An_unpinned_http_node_is_refused_without_allow_network_and_nothing_is_dialled()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: new FixedResolver(IPAddress.Parse("93.184.216.34")), dialer: dialer);
        var refused = await RunOne("""{"name":"n","expect":{"node.count":2}}""", new TestRunSettings { NetworkHttp = http }, HttpWorkflow);
        Assert.Equal("network", refused.Failures[0].Check);
        Assert.Equal("http node 'fetch' is not pinned and the run tried to reach api.example.com; pin its output or run with --allow-network", refused.Failures[0].Message);
        Assert.Empty(dialer.Dialled);

        var pinned = await RunOne("""{"name":"n","pin":{"fetch":{"status":200,"body":{"orders":[1,2]}}},"expect":{"node.count":2}}""", new TestRunSettings { NetworkHttp = http }, HttpWorkflow);
        Assert.True(pinned.Passed, pinned.Describe());
        Assert.Empty(dialer.Dialled);

        var allowed = await RunOne("""{"name":"n","expect":{"node.count":2}}""", new TestRunSettings { NetworkHttp = http, AllowNetwork = true }, HttpWorkflow);
        Assert.DoesNotContain(allowed.Failures, f => f.Check == "network");
        Assert.Equal(new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443), dialer.Dialled.First());
    }

    private const string LoopHttpWorkflow = """
        {"nodes":[{"id":"items","type":"range","data":{"start":1,"end":3}},
          {"id":"each","type":"for_each","data":{}},
          {"id":"fetch","type":"http","parentId":"each","data":{"url":"https://api.example.com/price","method":"GET"}},
          {"id":"line","type":"expression","parentId":"each","data":{"expression":"input.body.price * item"}}],
         "edges":[{"source":"items","target":"each"},{"source":"fetch","target":"line"}]}
        """;

    [Fact]
    public async Task Pin_iterations_gives_a_loop_body_node_its_own_result_in_each_iteration_and_nothing_is_dialled()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: new FixedResolver(IPAddress.Parse("93.184.216.34")), dialer: dialer);
        var settings = new TestRunSettings { NetworkHttp = http };
        var pinned = await RunOne("""
            {"name":"n","pin_iterations":{"fetch":[{"status":200,"body":{"price":10}},{"status":200,"body":{"price":20}},{"status":200,"body":{"price":30}}]},
             "expect":{"node.each":[10,40,90]}}
            """, settings, LoopHttpWorkflow);
        Assert.True(pinned.Passed, pinned.Describe());
        Assert.Empty(dialer.Dialled);

        var tooFew = await RunOne("""{"name":"n","pin_iterations":{"fetch":[{"status":200,"body":{"price":10}}]}}""", settings, LoopHttpWorkflow);
        Assert.False(tooFew.Passed);
        Assert.Contains("node 'fetch' has pinned outputs for iterations 0-0 only, not for iteration 1", tooFew.Describe(), StringComparison.Ordinal);
        Assert.Empty(dialer.Dialled);
    }

    [Fact]
    public async Task Pin_iterations_is_refused_for_a_node_outside_a_body_or_pinned_twice()
    {
        var outside = await Assert.ThrowsAsync<TestFileException>(() => RunOne("""{"name":"x","pin_iterations":{"items":[1]}}""", workflow: LoopHttpWorkflow));
        Assert.EndsWith("cases[0] \"x\": pin_iterations.items: the node is not inside a loop body; use pin", outside.Message, StringComparison.Ordinal);
        var twice = await Assert.ThrowsAsync<TestFileException>(() => RunOne("""{"name":"x","pin":{"fetch":1},"pin_iterations":{"fetch":[1]}}""", workflow: LoopHttpWorkflow));
        Assert.Equal("pin_iterations.fetch", twice.Field);
        var notList = await Assert.ThrowsAsync<TestFileException>(() => RunOne("""{"name":"x","pin_iterations":{"fetch":1}}""", workflow: LoopHttpWorkflow));
        Assert.Contains("must be an array", notList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Naming_a_node_the_workflow_lacks_is_an_invalid_test_file()
    {
        var ex = await Assert.ThrowsAsync<TestFileException>(() => RunOne("""{"name":"x","pin":{"ghost":1}}"""));
        Assert.EndsWith("t.thaiyyal-test.json: cases[0] \"x\": pin.ghost: the workflow has no node with this id", ex.Message, StringComparison.Ordinal);
        var expect = await Assert.ThrowsAsync<TestFileException>(() => RunOne("""{"name":"x","expect":{"node.ghost.value":1}}"""));
        Assert.Equal("expect.node.ghost.value", expect.Field);
    }

    private sealed class FixedResolver(IPAddress address) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { address });
    }

    /// <summary>Records each connection the guard lets through and refuses it: no real connection is ever made.</summary>
    private sealed class RecordingDialer : ISocketDialer
    {
        public System.Collections.Concurrent.ConcurrentQueue<IPEndPoint> Dialled { get; } = new();

        public ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
        {
            Dialled.Enqueue(endpoint);
            return ValueTask.FromException<Stream>(new IOException("recording dialer: not connecting"));
        }
    }
}
