using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>A scope node type written outside the engine: the base class is all it needs.</summary>
public sealed class ScopeNodeTests
{
    /// <summary><c>test_twice</c>: runs its body twice, feeding the first result into the second run; without body, passes its input.</summary>
    private sealed class TwiceNode : ScopeNode<NoOptions>
    {
        public override NodeDescriptor Descriptor { get; } = new("test_twice", NodeCategories.Custom, "Twice", "Runs its steps twice.", []) { IsScope = true };

        protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

        protected override ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, NoOptions options) => new(context.Input);

        protected override async Task<Value> RunBodyPolicyAsync(ScopeBody body, NoOptions options)
        {
            var once = await body.RunIterationAsync(0, body.Input, ScopeBody.LoopVariables(body.Input, 0));
            return await body.RunIterationAsync(1, once, ScopeBody.LoopVariables(once, 1));
        }
    }

    private static WorkflowEngine EngineWithTwice(ExecutionLimits? limits = null)
    {
        var engine = NewEngine(limits: limits);
        engine.Registry.Register(new TwiceNode());
        return engine;
    }

    [Fact]
    public async Task A_new_scope_node_type_runs_its_body_through_the_same_scheduler()
    {
        var observer = new RecordingObserver();
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':3}},{'id':'two','type':'test_twice','data':{}},
                      {'id':'sq','type':'test_square','parentId':'two','data':{}}],
             'edges':[{'source':'in','target':'two'}]}
            """, EngineWithTwice(), new RunOptions { Observer = observer });
        Assert.Equal("81", ResultOf(result, "two"));
        Assert.Equal(2, observer.Events.OfType<NodeCompletedEvent>().Count(e => e.NodeId == "sq" && e.ScopeNodeId == "two"));
    }

    [Fact]
    public async Task Without_body_it_keeps_its_plain_behaviour()
    {
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':3}},{'id':'two','type':'test_twice','data':{}}],
             'edges':[{'source':'in','target':'two'}]}
            """, EngineWithTwice());
        Assert.Equal("3", ResultOf(result, "two"));
    }

    [Fact]
    public async Task Its_runs_count_against_the_loop_limit()
    {
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':3}},{'id':'two','type':'test_twice','data':{}},
                      {'id':'sq','type':'test_square','parentId':'two','data':{}}],
             'edges':[{'source':'in','target':'two'}]}
            """, EngineWithTwice(ExecutionLimits.Default with { MaxLoopIterations = 1 }));
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
    }

    [Fact]
    public async Task An_edge_between_a_body_node_and_an_outside_node_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<WorkflowException>(() => RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':3}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'sq','type':'test_square','parentId':'loop','data':{}}],
             'edges':[{'source':'in','target':'loop'},{'source':'in','target':'sq'}]}
            """));
        Assert.Contains("in", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sq", ex.Message, StringComparison.Ordinal);
    }
}
