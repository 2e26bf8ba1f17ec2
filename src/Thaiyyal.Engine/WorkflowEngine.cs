using System.Diagnostics;
using System.Security.Cryptography;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Graph;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

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
        Options = options ?? new EngineOptions();
        Registry = Options.Registry ?? NodeRegistry.CreateDefault();
        _http = Options.Http ?? Options.Services?.GetService(typeof(OutboundHttp)) as OutboundHttp ?? OutboundHttp.Default;
    }

    private readonly OutboundHttp _http;

    public EngineOptions Options { get; }

    /// <summary>The node types this engine runs; register custom types here.</summary>
    public NodeRegistry Registry { get; }

    /// <summary>Decodes and checks a UTF-8 JSON payload. Throws <see cref="WorkflowException"/>.</summary>
    public Workflow Parse(ReadOnlySpan<byte> utf8Json) => Compile(WorkflowReader.Read(utf8Json, Options.Limits));

    /// <summary>Decodes and checks a JSON payload. Throws <see cref="WorkflowException"/>.</summary>
    public Workflow Parse(string json) => Compile(WorkflowReader.Read(json, Options.Limits));

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
        var executionId = options?.ExecutionId ?? NewExecutionId();
        var started = Stopwatch.GetTimestamp();
        using var deadline = limits.MaxExecutionTime > TimeSpan.Zero
            ? new CancellationTokenSource(limits.MaxExecutionTime, Options.TimeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var run = new RunContext(executionId, workflow.WorkflowId, limits, Options.MaxDegreeOfParallelism, options?.Observer, Options.Services, Options.TimeProvider, linked.Token)
        {
            Http = _http,
        };
        run.Notify(o => o.OnRunStarted(new RunStartedEvent(executionId, workflow.WorkflowId, workflow.Definition.Nodes.Count, Options.TimeProvider.GetUtcNow())));

        var graph = new GraphRun(run, workflow.Plan, linked.Token);
        ExecutionError? error;
        try
        {
            // Yield once when cancellation is already requested so an expired token never runs a node.
            linked.Token.ThrowIfCancellationRequested();
            var failure = await graph.RunAsync();
            error = failure is null ? null : ToError(failure, workflow);
        }
        catch (OperationCanceledException)
        {
            error = cancellationToken.IsCancellationRequested
                ? new ExecutionError(ExecutionErrorKind.Cancelled, "workflow execution cancelled")
                : new ExecutionError(ExecutionErrorKind.Timeout, $"workflow execution timeout: exceeded {GoDuration.Format(limits.MaxExecutionTime)}");
        }

        var duration = Stopwatch.GetElapsedTime(started);
        if (error is null)
        {
            run.Notify(o => o.OnRunCompleted(new RunCompletedEvent(executionId, workflow.WorkflowId, Options.TimeProvider.GetUtcNow(), duration, run.NodeExecutions)));
            return new ExecutionResult
            {
                ExecutionId = executionId,
                WorkflowId = workflow.WorkflowId,
                NodeResults = graph.CollectResults(),
                FinalOutput = graph.FinalOutput(),
                Duration = duration,
                NodesExecuted = run.NodeExecutions,
            };
        }
        run.Notify(o => o.OnRunFailed(new RunFailedEvent(executionId, workflow.WorkflowId, Options.TimeProvider.GetUtcNow(), duration, run.NodeExecutions, error)));
        return new ExecutionResult
        {
            ExecutionId = executionId,
            WorkflowId = workflow.WorkflowId,
            // Partial results are kept so a caller can show which nodes ran before the failure (server-api.md §2.1 Notes).
            NodeResults = graph.CollectResults(),
            Error = error,
            Duration = duration,
            NodesExecuted = run.NodeExecutions,
        };
    }

    private static ExecutionError ToError(ScopeBodyException failure, Workflow workflow)
    {
        var kind = IsLimit(failure) ? ExecutionErrorKind.LimitExceeded : ExecutionErrorKind.NodeFailed;
        var type = workflow.Plan.IndexById.TryGetValue(failure.NodeId, out var i) ? workflow.Plan.Nodes[i].Type : null;
        return new ExecutionError(kind, failure.Message, failure.NodeId, type, failure.NodeMessage);
    }

    private static bool IsLimit(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is ExecutionLimitException) return true;
        }
        return false;
    }

    private static string NewExecutionId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
