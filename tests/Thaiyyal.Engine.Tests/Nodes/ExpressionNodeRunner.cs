using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>
/// Runs small workflows for node tests. Adds two test-only node types: <c>test_value</c> (outputs its
/// <c>data.value</c> as is, any JSON) and <c>test_set_variable</c> (sets workflow variable <c>data.name</c> to its
/// input and passes the input on).
/// </summary>
internal static class ExpressionNodeRunner
{
    private static readonly WorkflowEngine Engine = CreateEngine();

    private static WorkflowEngine CreateEngine()
    {
        var engine = new WorkflowEngine();
        engine.Registry.Register(new TestValueNode()).Register(new TestSetVariableNode());
        return engine;
    }

    /// <summary>Runs a whole payload.</summary>
    public static ExecutionResult Run(string workflowJson) => Engine.ExecuteAsync(Engine.Parse(workflowJson)).GetAwaiter().GetResult();

    /// <summary>Runs one node of <paramref name="type"/> with <paramref name="dataJson"/>, fed by one source per input.</summary>
    public static ExecutionResult RunNode(string type, string dataJson, params string[] inputsJson)
    {
        var nodes = new List<string>();
        var edges = new List<string>();
        for (var i = 0; i < inputsJson.Length; i++)
        {
            nodes.Add($$$"""{"id":"in{{{i}}}","type":"test_value","data":{"value":{{{inputsJson[i]}}}}}""");
            edges.Add($$"""{"source":"in{{i}}","target":"n"}""");
        }
        nodes.Add($$$"""{"id":"n","type":"{{{type}}}","data":{{{dataJson}}}}""");
        return Run($$$"""{"nodes":[{{{string.Join(",", nodes)}}}],"edges":[{{{string.Join(",", edges)}}}]}""");
    }

    /// <summary>The JSON of node <c>n</c>'s result (fails the test when the run failed).</summary>
    public static string ResultJson(string type, string dataJson, params string[] inputsJson)
    {
        var result = RunNode(type, dataJson, inputsJson);
        Assert.True(result.Success, result.Error?.Message);
        return ValueJson.Serialize(result.NodeResults["n"]);
    }

    /// <summary>The run's error message (fails the test when the run succeeded).</summary>
    public static string ErrorMessage(string type, string dataJson, params string[] inputsJson)
    {
        ExecutionResult result;
        try
        {
            result = RunNode(type, dataJson, inputsJson);
        }
        catch (WorkflowException e)
        {
            return e.Message;
        }
        Assert.False(result.Success, "the run should have failed");
        return result.Error!.Message;
    }

    /// <summary>Whether the node type, bound with this data, may run concurrently with others.</summary>
    public static bool IsIndependent(string type, string dataJson)
    {
        Assert.True(Engine.Registry.TryGet(type, out var executor));
        var data = new NodeData(executor.Descriptor, ValueJson.Parse(dataJson).AsObject());
        return executor.IsIndependent(executor.Bind(data));
    }

    private sealed class TestValueNode : NodeExecutor<TestValueNode.Options>
    {
        public sealed record Options(Value Value);

        public override NodeDescriptor Descriptor { get; } = new("test_value", NodeCategories.Custom, "Test value", "Outputs data.value.",
            [new NodeField("value", FieldType.Any, "Value")]) { MinInputs = 0 };

        protected override bool IsIndependent(Options options) => true;

        protected override Options BindOptions(NodeData data) => new(data.Get("value"));

        protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) => new(options.Value);
    }

    private sealed class TestSetVariableNode : NodeExecutor<TestSetVariableNode.Options>
    {
        public sealed record Options(string Name);

        public override NodeDescriptor Descriptor { get; } = new("test_set_variable", NodeCategories.Custom, "Test set variable", "Sets a variable.",
            [new NodeField("name", FieldType.String, "Name", Required: true)]);

        protected override Options BindOptions(NodeData data) => new(data.RequiredString("name"));

        protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
        {
            context.State.SetVariable(options.Name, context.Input);
            return new(context.Input);
        }
    }
}
