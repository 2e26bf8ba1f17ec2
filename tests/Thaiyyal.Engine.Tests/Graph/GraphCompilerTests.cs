using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Graph;

public sealed class GraphCompilerTests
{
    private static WorkflowException Rejected(string json) => Assert.Throws<WorkflowException>(() => TestEngines.Create().Parse(json));

    [Fact]
    public void Duplicate_ids_are_named()
    {
        var ex = Rejected("""{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"a","type":"number","data":{"value":2}}]}""");
        Assert.Equal(WorkflowErrorKind.Graph, ex.Kind);
        Assert.Equal("duplicate node id: a", ex.Message);
    }

    [Theory]
    [InlineData("ghost", "a")]
    [InlineData("a", "ghost")]
    public void Edges_to_unknown_nodes_are_named(string source, string target)
    {
        var ex = Rejected($$$"""{"nodes":[{"id":"a","type":"number","data":{"value":1}}],"edges":[{"source":"{{{source}}}","target":"{{{target}}}"}]}""");
        Assert.StartsWith("edge references unknown node: ghost", ex.Message);
    }

    /// <summary>A chain of <paramref name="count"/> number → expression nodes whose last node reads the first by id.</summary>
    private static string Chain(int count, string extraNodes = "", string extraEdges = "")
    {
        var nodes = Enumerable.Range(1, count - 1).Select(i => $$$"""{"id":"n{{{i}}}","type":"expression","data":{"expression":"input + 1"}}""");
        var edges = Enumerable.Range(1, count - 1).Select(i => $$$"""{"source":"n{{{i - 1}}}","target":"n{{{i}}}"}""");
        return $$$"""{"nodes":[{"id":"n0","type":"number","data":{"value":1}},{{{string.Join(",", nodes)}}},{"id":"last","type":"expression","data":{"expression":"input + node.n0"}}{{{extraNodes}}}],"edges":[{{{string.Join(",", edges)}}},{"source":"n{{{count - 1}}}","target":"last"}{{{extraEdges}}}]}""";
    }

    // Graphs up to 8 nodes find ids by scanning them, bigger ones through a dictionary: both ways are checked.
    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(30)]
    public async Task Ids_are_found_in_small_and_big_graphs(int count)
    {
        var result = await TestEngines.RunAsync(Chain(count));
        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal(count + 1, result.FinalOutput.AsNumber());
        Assert.Equal("duplicate node id: n1", Rejected(Chain(count, extraNodes: """,{"id":"n1","type":"number","data":{"value":2}}""")).Message);
        Assert.StartsWith("edge references unknown node: ghost", Rejected(Chain(count, extraEdges: """,{"source":"ghost","target":"last"}""")).Message);
    }

    [Fact]
    public void An_unknown_parent_further_up_a_chain_is_named_not_thrown_as_a_crash()
    {
        // The child comes first: its own parent exists, and the walk up from it reaches the parent's unknown one.
        var ex = Rejected("""{"nodes":[{"id":"a","type":"expression","data":{"expression":"1"},"parentId":"b"},{"id":"b","type":"for_each","data":{},"parentId":"ghost"}]}""");
        Assert.Equal(WorkflowErrorKind.Graph, ex.Kind);
        Assert.Equal("node b names unknown parent node: ghost", ex.Message);
    }

    [Theory]
    [InlineData("teleport", "no executor registered for type: teleport (node n)")]
    [InlineData("paginator", "no executor registered for type: paginator (node n)")]
    [InlineData("", "no executor registered for type:  (node n)")]
    public void Unknown_types_are_rejected_before_anything_runs(string type, string message)
    {
        var ex = Rejected($$$"""{"nodes":[{"id":"n","type":"{{{type}}}","data":{"whatever":1}}]}""");
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void A_cycle_error_names_the_nodes_on_the_cycle()
    {
        var ex = Rejected("""
            {"nodes":[{"id":"start","type":"number","data":{"value":1}},{"id":"a","type":"renderer","data":{}},{"id":"b","type":"renderer","data":{}},{"id":"c","type":"renderer","data":{}}],
             "edges":[{"source":"start","target":"a"},{"source":"a","target":"b"},{"source":"b","target":"c"},{"source":"c","target":"a"}]}
            """);
        Assert.StartsWith("workflow contains cycles (circular dependencies): ", ex.Message);
        var cycle = ex.Message.Split(": ")[1].Split(" → ");
        Assert.Equal(cycle[0], cycle[^1]);
        Assert.Equal(["a", "b", "c"], cycle.Distinct().Order());
        Assert.DoesNotContain("start", ex.Message);
    }

    [Fact]
    public void A_self_loop_is_a_cycle()
    {
        var ex = Rejected("""{"nodes":[{"id":"a","type":"renderer","data":{}}],"edges":[{"source":"a","target":"a"}]}""");
        Assert.Equal("workflow contains cycles (circular dependencies): a → a", ex.Message);
    }

    [Fact]
    public void Decode_errors_come_before_graph_errors()
    {
        var ex = Rejected("""{"nodes":[{"id":"a","type":"number","data":{}},{"id":"a","type":"number","data":{"value":1}}]}""");
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
    }

    [Fact]
    public void A_parent_that_does_not_exist_or_is_not_a_scope_is_rejected()
    {
        Assert.Contains("unknown parent node: ghost", Rejected("""{"nodes":[{"id":"a","type":"renderer","data":{},"parentId":"ghost"}]}""").Message);
        Assert.Contains("cannot have a body", Rejected("""{"nodes":[{"id":"p","type":"renderer","data":{}},{"id":"a","type":"renderer","data":{},"parentId":"p"}]}""").Message);
    }

    [Fact]
    public void Too_many_nodes_or_edges_are_rejected()
    {
        var engine = new WorkflowEngine(new EngineOptions { Limits = ExecutionLimits.Default with { MaxNodes = 1, MaxEdges = 0 } });
        var ex = Assert.Throws<WorkflowException>(() => engine.Parse("""{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":1}}]}"""));
        Assert.Equal("too many nodes: 2 (limit: 1)", ex.Message);
    }
}
