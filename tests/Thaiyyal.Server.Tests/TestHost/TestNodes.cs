using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Server.Tests.TestHost;

/// <summary><c>test_sleep</c>: waits <c>ms</c> milliseconds on the run's token; records whether it was cancelled.</summary>
public sealed class SleepNode : NodeExecutor<SleepNode.Options>
{
    public sealed record Options(double Milliseconds);

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override NodeDescriptor Descriptor { get; } = new("test_sleep", "Testing", "Sleep", "Waits, then outputs its input.",
        [new NodeField("ms", FieldType.Number, "Milliseconds", "How long to wait.", Required: true, Default: 1000)])
    {
        MinInputs = 0,
        MaxInputs = 1,
    };

    /// <summary>Completes when a run starts sleeping.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when a sleeping run is cancelled.</summary>
    public Task Cancelled => _cancelled.Task;

    protected override Options BindOptions(NodeData data) => new(data.RequiredNumber("ms"));

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        _started.TrySetResult();
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(options.Milliseconds), context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _cancelled.TrySetResult();
            throw;
        }
        return context.Inputs.Count > 0 ? context.Input : Value.From("slept");
    }
}

/// <summary>Payloads used across the tests.</summary>
public static class Payloads
{
    public const string Addition = """
        {"workflow_id":"add","nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},
         {"id":"3","type":"operation","data":{"op":"add"}}],
         "edges":[{"id":"e1","source":"1","target":"3"},{"id":"e2","source":"2","target":"3"}]}
        """;

    public const string DivideByZero = """
        {"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":0}},
         {"id":"div","type":"operation","data":{"op":"divide"}}],
         "edges":[{"source":"a","target":"div"},{"source":"b","target":"div"}]}
        """;

    public const string Cycle = """
        {"nodes":[{"id":"x","type":"operation","data":{"op":"add"}},{"id":"y","type":"operation","data":{"op":"add"}}],
         "edges":[{"source":"x","target":"y"},{"source":"y","target":"x"}]}
        """;

    public const string UnknownType = """{"nodes":[{"id":"n","type":"no_such_type","data":{}}],"edges":[]}""";

    public static string Sleep(int milliseconds) =>
        $$$"""{"nodes":[{"id":"s","type":"test_sleep","data":{"ms":{{{milliseconds}}}}}],"edges":[]}""";

    /// <summary><paramref name="count"/> independent number nodes.</summary>
    public static string Numbers(int count)
    {
        var nodes = string.Join(",", Enumerable.Range(0, count).Select(i => $$$"""{"id":"n{{{i}}}","type":"number","data":{"value":{{{i}}}}}"""));
        return $$"""{"nodes":[{{nodes}}],"edges":[]}""";
    }
}
