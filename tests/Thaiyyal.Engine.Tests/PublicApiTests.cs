using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests;

/// <summary>The embedding story of docs/engine.md: build in code, register a custom node, observe, cancel.</summary>
public sealed class PublicApiTests
{
    private sealed class GreetNode : NodeExecutor<GreetNode.Options>
    {
        public sealed record Options(string Greeting);

        public override NodeDescriptor Descriptor { get; } = new("greet", NodeCategories.Custom, "Greet", "Prefixes its input with a greeting.",
            [new NodeField("greeting", FieldType.String, "Greeting", "Text put in front.", Required: true, Default: "Hello")]);

        protected override bool IsIndependent(Options options) => true;

        protected override Options BindOptions(NodeData data) => new(data.RequiredString("greeting"));

        protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
            context.Input.TryGetString(out var name)
                ? new($"{options.Greeting}, {name}")
                : throw new NodeExecutionException("greet needs a text input");
    }

    [Fact]
    public async Task A_workflow_built_in_code_with_a_custom_node_runs_next_to_built_in_ones()
    {
        var engine = new WorkflowEngine();
        engine.Registry.Register(new GreetNode());
        var workflow = engine.Compile(new WorkflowDefinition("in-code",
            [
                new NodeDefinition("name", "text_input", ValueObject.Of(("text", "Ada"))),
                new NodeDefinition("hello", "greet", ValueObject.Of(("greeting", "Hi"))),
                new NodeDefinition("shout", "text_operation", ValueObject.Of(("text_op", "uppercase"))),
            ],
            [new EdgeDefinition("name", "hello"), new EdgeDefinition("hello", "shout")]));

        var result = await engine.ExecuteAsync(workflow);

        Assert.True(result.Success);
        Assert.Equal("HI, ADA", result.FinalOutput.AsString());
        Assert.Equal("in-code", result.WorkflowId);
        Assert.Contains(engine.Registry.Descriptors, d => d.Type == "greet" && d.Category == NodeCategories.Custom);
    }

    [Fact]
    public void A_custom_node_gets_the_same_decode_checks_as_built_in_ones()
    {
        var engine = new WorkflowEngine();
        engine.Registry.Register(new GreetNode());
        var ex = Assert.Throws<WorkflowException>(() => engine.Parse("""{"nodes":[{"id":"g","type":"greet","data":{"greeting":5}}]}"""));
        Assert.Equal("failed to parse payload: failed to unmarshal data for node g (type greet): json: cannot unmarshal number into Go struct field GreetData.greeting of type string", ex.Message);
    }

    [Fact]
    public async Task One_compiled_workflow_runs_concurrently_with_independent_state()
    {
        var engine = new WorkflowEngine();
        var workflow = engine.Parse("""
            {"nodes":[{"id":"c","type":"counter","data":{"counter_op":"increment"}},{"id":"c2","type":"counter","data":{"counter_op":"increment"}}],
             "edges":[{"source":"c","target":"c2"}]}
            """);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => engine.ExecuteAsync(workflow)));
        Assert.All(results, r => Assert.Equal(results[0].FinalOutput, r.FinalOutput));
        Assert.Equal(20, results.Select(r => r.ExecutionId).Distinct().Count());
    }
}
