using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

/// <summary>The worked example of design/scopes.md, run with the real built-in node types.</summary>
public sealed class ScopeDesignExampleTests
{
    private const string Example = """
        { "nodes": [
            { "id": "items", "type": "range", "data": { "start": 1, "end": 3 } },
            { "id": "loop",  "type": "for_each", "data": {} },
            { "id": "sq",    "type": "expression", "parentId": "loop", "data": { "expression": "item * item" } },
            { "id": "sum",   "type": "reduce", "data": { "expression": "accumulator + item", "initial_value": 0 } }
          ],
          "edges": [
            { "source": "items", "target": "loop" },
            { "source": "loop",  "target": "sum" }
          ] }
        """;

    [Fact]
    public async Task Range_into_a_squaring_loop_into_reduce_yields_1_4_9_and_14()
    {
        var engine = new WorkflowEngine();
        // range, expression and reduce come from other work streams; this test starts asserting once they are registered.
        if (!new[] { "range", "expression", "reduce" }.All(t => engine.Registry.TryGet(t, out _))) return;

        var result = await engine.ExecuteAsync(engine.Parse(Example));

        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal("[1,4,9]", ValueJson.Serialize(result.NodeResults["loop"]));
        Assert.Equal(14, result.NodeResults["sum"].AsObject()["result"].AsNumber());
    }

    [Fact]
    public async Task The_same_loop_over_a_range_shaped_object_with_expression_and_reduce()
    {
        // What range outputs, from a test node, so this runs before range is registered.
        var result = await RunAsync("""
            {'nodes':[
              {'id':'items','type':'test_value','data':{'value':{'range':[1,2,3],'count':3,'start':1,'end':3,'step':1}}},
              {'id':'loop','type':'for_each','data':{}},
              {'id':'sq','type':'expression','parentId':'loop','data':{'expression':'item * item'}},
              {'id':'sum','type':'reduce','data':{'expression':'accumulator + item','initial_value':0}}],
             'edges':[{'source':'items','target':'loop'},{'source':'loop','target':'sum'}]}
            """);

        Assert.Equal("[1,4,9]", ResultOf(result, "loop"));
        Assert.Equal(14, result.NodeResults["sum"].AsObject()["result"].AsNumber());
    }
}
