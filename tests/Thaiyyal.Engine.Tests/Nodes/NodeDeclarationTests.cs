using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>
/// A node type declares its fields once, on its descriptor: the default, the "one of these is required" group and the
/// inference keys below feed binding, validation, new-node data and type inference without another list to edit.
/// </summary>
public sealed class NodeDeclarationTests
{
    /// <summary><c>test_greeting</c>: everything about it lives in this one class.</summary>
    private sealed class GreetingNode : NodeExecutor<GreetingNode.Options>
    {
        public sealed record Options(string Greeting, string Who);

        public override NodeDescriptor Descriptor { get; } = new("test_greeting", NodeCategories.Custom, "Greeting", "Greets someone.",
            [
                new NodeField("greeting", FieldType.String, "Greeting", "How to greet.", Default: "hello"),
                new NodeField("name", FieldType.String, "Name", "Who, by name."),
                new NodeField("nickname", FieldType.String, "Nickname", "Who, by nickname."),
            ])
        {
            MinInputs = 0,
            RequiredGroups = [["name", "nickname"]],
            Inference = new(100, ["nickname"]),
        };

        protected override Options BindOptions(NodeData data) =>
            new(data.StringOrDefault("greeting")!, data.String("name") ?? data.String("nickname")!);

        protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) => new(Value.From($"{options.Greeting}, {options.Who}"));
    }

    private static WorkflowEngine Engine()
    {
        var engine = new WorkflowEngine();
        engine.Registry.Register(new GreetingNode());
        return engine;
    }

    [Fact]
    public async Task The_declared_default_is_what_binding_uses()
    {
        var engine = Engine();
        var result = await engine.ExecuteAsync(engine.Parse("""{"nodes":[{"id":"g","type":"test_greeting","data":{"name":"Ada"}}]}"""));
        Assert.Equal("hello, Ada", result.NodeResults["g"].AsString());
    }

    [Fact]
    public void The_required_group_is_checked_when_decoding()
    {
        var ex = Assert.Throws<WorkflowException>(() => Engine().Parse("""{"nodes":[{"id":"g","type":"test_greeting","data":{"greeting":"hi"}}]}"""));
        Assert.EndsWith("one of name, nickname is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inference_key_gives_a_node_without_type_this_type()
    {
        var engine = Engine();
        var workflow = engine.Parse("""{"nodes":[{"id":"g","data":{"nickname":"Bo"}}]}""");
        Assert.Equal("test_greeting", workflow.Definition.Nodes[0].Type);
        Assert.Equal("hello, Bo", (await engine.ExecuteAsync(workflow)).NodeResults["g"].AsString());
        Assert.Equal("", NodeRegistry.CreateDefault().InferType(ValueJson.Parse("""{"nickname":"Bo"}""").AsObject()));
    }

    [Fact]
    public void New_node_data_comes_from_the_declared_defaults()
    {
        Assert.Equal("""{"greeting":"hello"}""", ValueJson.Serialize(new GreetingNode().Descriptor.NewNodeData));
    }

    [Theory]
    [InlineData("""{"value":1,"context_name":"x"}""", "number")]
    [InlineData("""{"condition":"x","true_path":"a"}""", "condition")]
    [InlineData("""{"condition":"x"}""", "filter")]
    [InlineData("""{"expression":"1","initial_value":0}""", "reduce")]
    [InlineData("""{"expression":"1"}""", "expression")]
    [InlineData("""{"expression":"","fields":["a"]}""", "extract")]
    [InlineData("""{"var_name":"x"}""", "")]
    [InlineData("""{"cache_op":"get","cache_key":"k"}""", "cache")]
    [InlineData("""{"context_values":[]}""", "context_variable")]
    [InlineData("""{"backoff_strategy":"linear"}""", "retry")]
    [InlineData("""{"continue_on_error":true}""", "try_catch")]
    [InlineData("""{"timeout":"1s"}""", "")]
    [InlineData("""{"timeout":"1s","timeout_action":"error"}""", "timeout")]
    public void Built_in_rules_follow_the_spec_order(string data, string type) =>
        Assert.Equal(type, NodeRegistry.CreateDefault().InferType(ValueJson.Parse(data).AsObject()));

    [Fact]
    public void Retry_binds_the_defaults_its_fields_declare()
    {
        var retry = NodeRegistry.CreateDefault().Descriptors.Single(d => d.Type == "retry");
        Assert.Equal("""{"backoff_strategy":"exponential","initial_delay":"1s","max_attempts":3}""", ValueJson.Serialize(retry.NewNodeData));
        Assert.Equal(3, retry.Field("max_attempts")!.Default.AsNumber());
    }

    [Fact]
    public void Map_advertises_no_default_expression_because_none_applies()
    {
        var map = NodeRegistry.CreateDefault().Descriptors.Single(d => d.Type == "map");
        Assert.True(map.Field("expression")!.Default.IsNull);
    }
}
