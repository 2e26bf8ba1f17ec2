using System.Diagnostics;
using Thaiyyal.Engine.Graph;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine;

/// <summary>
/// Decodes, checks and runs workflows. Thread-safe; create one and share it.
/// <code>
/// var engine = new WorkflowEngine();
/// var workflow = engine.Parse(json);              // throws WorkflowException for a bad payload
/// var result = await engine.ExecuteAsync(workflow, cancellationToken: ct);
/// </code>
/// </summary>
public sealed class WorkflowEngine
{
    /// <summary>An engine with the given options (defaults: every built-in node, default limits).</summary>
    public WorkflowEngine(EngineOptions? options = null)
    {
        RegexMatchTimeout.Install();
        Options = options ?? new EngineOptions();
        Registry = Options.Registry ?? NodeRegistry.CreateDefault();
        _http = Options.Http ?? Options.Services?.GetService(typeof(OutboundHttp)) as OutboundHttp ?? OutboundHttp.Default;
    }

    private readonly OutboundHttp _http;

    /// <summary>Outbound HTTP for this engine's runs.</summary>
    internal OutboundHttp Http => _http;

    public EngineOptions Options { get; }

    /// <summary>The node types this engine runs; register custom types here.</summary>
    public NodeRegistry Registry { get; }

    /// <summary>Decodes and checks a UTF-8 JSON payload. Throws <see cref="WorkflowException"/>.</summary>
    public Workflow Parse(ReadOnlySpan<byte> utf8Json) => Compile(WorkflowReader.Read(utf8Json, Options.Limits, Registry));

    /// <summary>Decodes and checks a JSON payload. Throws <see cref="WorkflowException"/>.</summary>
    public Workflow Parse(string json) => Compile(WorkflowReader.Read(json, Options.Limits, Registry));

    /// <summary>Checks and binds a workflow built in code. Throws <see cref="WorkflowException"/>.</summary>
    public Workflow Compile(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new Workflow(definition, GraphCompiler.Compile(definition, Registry, Options.Limits));
    }

    /// <summary>
    /// Runs a workflow. Never throws for a failing run: the result carries the error. The run stops
    /// promptly when <paramref name="cancellationToken"/> fires or its deadline passes.
    /// </summary>
    public async Task<ExecutionResult> ExecuteAsync(Workflow workflow, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var limits = options?.Limits ?? Options.Limits;
        var started = Stopwatch.GetTimestamp();
        using var run = new RunContext(options?.ExecutionId ?? NewExecutionId(), workflow.WorkflowId, limits, this, options, cancellationToken);
        if (run.Observer is not null) NotifyStarted(run, workflow);

        var graph = new GraphRun(run, workflow.Plan);
        ExecutionError? error;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var failure = await graph.RunAsync().ConfigureAwait(false);
            error = failure is null ? null : ToError(failure, workflow);
        }
        catch (OperationCanceledException)
        {
            run.CancelPendingWaits();
            error = cancellationToken.IsCancellationRequested
                ? new ExecutionError(ExecutionErrorKind.Cancelled, "workflow execution cancelled")
                : new ExecutionError(ExecutionErrorKind.Timeout, $"workflow execution timeout: exceeded {Compatibility.GoDuration.Format(limits.MaxExecutionTime)}");
        }

        var result = new ExecutionResult
        {
            ExecutionId = run.ExecutionId,
            WorkflowId = workflow.WorkflowId,
            // On failure the partial results are kept so a caller can show which nodes ran (server-api.md §2.1 Notes).
            NodeResults = graph.CollectResults(),
            FinalOutput = error is null ? graph.FinalOutput() : default,
            Error = error,
            Duration = Stopwatch.GetElapsedTime(started),
            NodesExecuted = run.NodeExecutions,
            ResultBytes = run.ResultBytes,
        };
        if (run.Observer is not null) NotifyFinished(run, result);
        return result;
    }

    private void NotifyStarted(RunContext run, Workflow workflow) =>
        run.Notify(new RunStartedEvent(run.ExecutionId, workflow.WorkflowId, workflow.Definition.Nodes.Count, Options.TimeProvider.GetUtcNow()),
            static (o, e) => o.OnRunStarted(e));

    private void NotifyFinished(RunContext run, ExecutionResult result)
    {
        var now = Options.TimeProvider.GetUtcNow();
        if (result.Error is null)
            run.Notify(new RunCompletedEvent(run.ExecutionId, result.WorkflowId, now, result.Duration, result.NodesExecuted), static (o, e) => o.OnRunCompleted(e));
        else
            run.Notify(new RunFailedEvent(run.ExecutionId, result.WorkflowId, now, result.Duration, result.NodesExecuted, result.Error), static (o, e) => o.OnRunFailed(e));
    }

    private static ExecutionError ToError(NodeFailedException failure, Workflow workflow)
    {
        var limit = FindLimit(failure);
        var kind = limit is not null ? ExecutionErrorKind.LimitExceeded : ExecutionErrorKind.NodeFailed;
        var type = workflow.Plan.TryGetIndex(failure.NodeId, out var i) ? workflow.Plan.Nodes[i].Type : null;
        var innermost = failure.Innermost();
        return new ExecutionError(kind, failure.Message, failure.NodeId, type, failure.NodeMessage, limit?.Limit)
        {
            InnermostNodeId = innermost.NodeId,
            ScopePath = innermost.ScopePath,
        };
    }

    private static ExecutionLimitException? FindLimit(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is ExecutionLimitException limit) return limit;
        }
        return null;
    }

    /// <summary>
    /// 8 random bytes as 16 hex digits, from <see cref="Random.Shared"/>: seeded once from the operating system's random
    /// source, then drawn in process. A version-4 GUID per run cost a system call for random bytes each time (about
    /// a tenth of decoding and running the 3-node addition), and <see cref="System.Security.Cryptography.RandomNumberGenerator"/>
    /// would load OpenSSL at the first call, milliseconds of the ahead-of-time compiled CLI's start-up. An execution
    /// id must be distinct, not secret: whoever can call the server's API can list every execution.
    /// </summary>
    private static string NewExecutionId()
    {
        Span<byte> bytes = stackalloc byte[8];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
