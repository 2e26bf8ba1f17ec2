using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Support;

/// <summary>Sleeps for <c>ms</c> milliseconds honouring cancellation, then passes its input (or the ms) through.</summary>
public sealed class SleepNode : NodeExecutor<SleepNode.Options>
{
    public sealed record Options(double Milliseconds);

    public override NodeDescriptor Descriptor { get; } = new("test_sleep", NodeCategories.Custom, "Sleep", "Test node.",
        [new NodeField("ms", FieldType.Number, "Milliseconds", Required: true)]) { MinInputs = 0, MaxInputs = null };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.RequiredNumber("ms"));

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(options.Milliseconds), context.CancellationToken);
        return context.Inputs.Count > 0 ? context.Input : Value.From(options.Milliseconds);
    }
}

/// <summary>Ignores cancellation entirely: the engine must still stop waiting for it.</summary>
public sealed class StubbornNode : NodeExecutor<StubbornNode.Options>
{
    public sealed record Options;

    public override NodeDescriptor Descriptor { get; } = new("test_stubborn", NodeCategories.Custom, "Stubborn", "Test node.", []) { MinInputs = 0 };

    protected override Options BindOptions(NodeData data) => new();

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
        return Value.True;
    }
}

/// <summary>
/// Keeps its thread for <c>ms</c> milliseconds and finishes synchronously, never asking for the run's token; with
/// <c>advance</c>, instead moves the engine's substituted clock (a <see cref="FakeTimeProvider"/>) on by that much. With
/// <c>token</c>, it then asks for the run's token and returns whether it has fired.
/// </summary>
public sealed class BusyNode : NodeExecutor<BusyNode.Options>
{
    public sealed record Options(double Milliseconds, bool Advance, bool Token);

    public override NodeDescriptor Descriptor { get; } = new("test_busy", NodeCategories.Custom, "Busy", "Test node.",
        [new NodeField("ms", FieldType.Number, "Milliseconds", Required: true), new NodeField("advance", FieldType.Boolean, "Advance"),
            new NodeField("token", FieldType.Boolean, "Token")]) { MinInputs = 0, MaxInputs = null };

    protected override Options BindOptions(NodeData data) => new(data.RequiredNumber("ms"), data.Bool("advance") ?? false, data.Bool("token") ?? false);

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (options.Advance) ((FakeTimeProvider)context.TimeProvider).Advance(TimeSpan.FromMilliseconds(options.Milliseconds));
        else Thread.Sleep(TimeSpan.FromMilliseconds(options.Milliseconds));
        return new(options.Token ? Value.From(context.CancellationToken.IsCancellationRequested) : Value.From(options.Milliseconds));
    }
}

/// <summary>Fails with the configured message, or throws an unexpected exception type.</summary>
public sealed class FailNode : NodeExecutor<FailNode.Options>
{
    public sealed record Options(string Message, bool Unexpected);

    public override NodeDescriptor Descriptor { get; } = new("test_fail", NodeCategories.Custom, "Fail", "Test node.",
        [new NodeField("message", FieldType.String, "Message"), new NodeField("unexpected", FieldType.Boolean, "Unexpected")]) { MinInputs = 0 };

    protected override Options BindOptions(NodeData data) => new(data.String("message") ?? "boom", data.Bool("unexpected") ?? false);

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
        options.Unexpected ? throw new InvalidOperationException(options.Message) : throw new NodeExecutionException(options.Message);
}

/// <summary>Appends its tag to the run's variable <c>log</c>: shows the order state-touching nodes ran in.</summary>
public sealed class AppendLogNode : NodeExecutor<AppendLogNode.Options>
{
    public sealed record Options(string Tag);

    public override NodeDescriptor Descriptor { get; } = new("test_log", NodeCategories.Custom, "Log", "Test node.",
        [new NodeField("tag", FieldType.String, "Tag", Required: true)]) { MinInputs = 0, MaxInputs = null };

    protected override Options BindOptions(NodeData data) => new(data.RequiredString("tag"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var log = context.State.TryGetVariable("log", out var v) && v.TryGetString(out var s) ? s : "";
        log += options.Tag;
        context.State.SetVariable("log", log);
        return new(Value.From(log));
    }
}

public static class TestEngines
{
    public static NodeRegistry Registry()
    {
        var registry = NodeRegistry.CreateDefault();
        registry.Register(new SleepNode()).Register(new StubbornNode()).Register(new FailNode()).Register(new AppendLogNode()).Register(new BusyNode());
        return registry;
    }

    public static WorkflowEngine Create(int parallelism = 1, ExecutionLimits? limits = null, TimeProvider? clock = null) =>
        new(new EngineOptions { Registry = Registry(), MaxDegreeOfParallelism = parallelism, Limits = limits ?? ExecutionLimits.Default, TimeProvider = clock ?? TimeProvider.System });

    public static async Task<ExecutionResult> RunAsync(string json, int parallelism = 1, ExecutionLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var engine = Create(parallelism, limits);
        return await engine.ExecuteAsync(engine.Parse(json), cancellationToken: cancellationToken);
    }
}
