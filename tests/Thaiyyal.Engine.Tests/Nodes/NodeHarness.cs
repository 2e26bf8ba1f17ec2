using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>
/// Runs one node (id <c>n</c>) inside a real workflow: each input is a <c>test_value</c> node wired to it in
/// order, so inputs arrive exactly as in a run. A manual clock drives time-dependent nodes.
/// </summary>
internal sealed class NodeHarness
{
    public NodeHarness(ExecutionLimits? limits = null)
    {
        Engine = new WorkflowEngine(new EngineOptions { Limits = limits ?? ExecutionLimits.Default, TimeProvider = Clock, MaxDegreeOfParallelism = 1 });
        Engine.Registry.Register(new TestValueNode());
        Engine.Registry.Register(new AdvanceClockNode(Clock));
        Engine.Registry.Register(new StateProbeNode());
    }

    public WorkflowEngine Engine { get; }

    public ManualClock Clock { get; } = new();

    /// <summary>Runs a whole workflow payload.</summary>
    public async Task<ExecutionResult> RunAsync(string workflowJson) => await Engine.ExecuteAsync(Engine.Parse(workflowJson));

    /// <summary>Runs node <c>n</c> of <paramref name="type"/> with <paramref name="data"/> (JSON) and the given input values (JSON).</summary>
    public async Task<ExecutionResult> RunNodeAsync(string type, string data, params string[] inputs)
    {
        var nodes = new List<string>();
        var edges = new List<string>();
        for (var i = 0; i < inputs.Length; i++)
        {
            nodes.Add($$$"""{"id":"in{{{i}}}","type":"test_value","data":{"value":{{{inputs[i]}}}}}""");
            edges.Add($$"""{"source":"in{{i}}","target":"n"}""");
        }
        nodes.Add($$$"""{"id":"n","type":"{{{type}}}","data":{{{data}}}}""");
        return await RunAsync($$"""{"nodes":[{{string.Join(",", nodes)}}],"edges":[{{string.Join(",", edges)}}]}""");
    }

    /// <summary>The result of node <c>n</c>; fails the test when the run failed.</summary>
    public async Task<Value> ResultAsync(string type, string data, params string[] inputs)
    {
        var result = await RunNodeAsync(type, data, inputs);
        Assert.True(result.Success, result.Error?.Message);
        return result.NodeResults["n"];
    }

    /// <summary>The message node <c>n</c> failed with (without the <c>error executing node</c> prefix).</summary>
    public async Task<string> FailureAsync(string type, string data, params string[] inputs)
    {
        var result = await RunNodeAsync(type, data, inputs);
        Assert.False(result.Success, "expected the run to fail");
        Assert.Equal("n", result.Error!.NodeId);
        return result.Error.Cause!;
    }

    /// <summary>The decode error a node's data gives, without the payload prefix.</summary>
    public string Rejection(string type, string data)
    {
        var ex = Assert.Throws<WorkflowException>(() => Engine.Parse($$"""{"nodes":[{"id":"n","type":"{{type}}","data":{{data}}}]}"""));
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
        const string prefix = "failed to parse payload: failed to unmarshal data for node n (type ";
        Assert.StartsWith(prefix, ex.Message, StringComparison.Ordinal);
        return ex.Message[(ex.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..];
    }
}

/// <summary>Assertions on values by their JSON text (sorted keys), so <c>null</c> and <c>[]</c> differ.</summary>
internal static class JsonAssert
{
    public static void Equal(string expectedJson, Value actual) =>
        Assert.Equal(ValueJson.Parse(expectedJson).ToString(), actual.ToString());

    public static Value Field(Value obj, string key) => obj.AsObject()[key];
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary><c>test_value</c>: outputs <c>data.value</c> as it is.</summary>
internal sealed class TestValueNode : NodeExecutor<TestValueNode.Options>
{
    public sealed record Options(Value Value);

    public override NodeDescriptor Descriptor { get; } = new("test_value", NodeCategories.Custom, "Test value", "Outputs its value.",
        [new NodeField("value", FieldType.Any, "Value")]) { MinInputs = 0 };

    protected override Options BindOptions(NodeData data) => new(data.Get("value"));

    protected override ValueTask<Value> ExecuteAsync(global::Thaiyyal.Engine.Execution.NodeContext context, Options options) => new(options.Value);
}

/// <summary><c>advance_clock</c>: moves the harness clock forward by <c>data.seconds</c>, passing its input on.</summary>
internal sealed class AdvanceClockNode(ManualClock clock) : NodeExecutor<AdvanceClockNode.Options>
{
    public sealed record Options(double Seconds);

    public override NodeDescriptor Descriptor { get; } = new("advance_clock", NodeCategories.Custom, "Advance clock", "Moves the test clock.",
        [new NodeField("seconds", FieldType.Number, "Seconds")]) { MinInputs = 0 };

    protected override Options BindOptions(NodeData data) => new(data.Number("seconds") ?? 0);

    protected override ValueTask<Value> ExecuteAsync(global::Thaiyyal.Engine.Execution.NodeContext context, Options options)
    {
        clock.Now += TimeSpan.FromSeconds(options.Seconds);
        return new(context.Input);
    }
}

/// <summary><c>test_state</c>: outputs the run's variables and merged context values.</summary>
internal sealed class StateProbeNode : NodeExecutor<StateProbeNode.Options>
{
    public sealed record Options;

    public override NodeDescriptor Descriptor { get; } = new("test_state", NodeCategories.Custom, "State probe", "Shows the run state.", []) { MinInputs = 0 };

    protected override Options BindOptions(NodeData data) => new();

    protected override ValueTask<Value> ExecuteAsync(global::Thaiyyal.Engine.Execution.NodeContext context, Options options) =>
        new(ValueObject.Of(
            ("variables", new ValueObject(context.State.SnapshotVariables())),
            ("context", new ValueObject(context.State.SnapshotContext()))));
}
