using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Testing;

/// <summary>How test runs are made.</summary>
public sealed record TestRunSettings
{
    /// <summary>Let <c>http</c> nodes that are not pinned reach the network (through <see cref="NetworkHttp"/>).</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>The outbound HTTP used when <see cref="AllowNetwork"/> is on; null means <see cref="OutboundHttp.Default"/>.</summary>
    public OutboundHttp? NetworkHttp { get; init; }

    /// <summary>Limits of every test run.</summary>
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    /// <summary>Node types the runs know; null means every built-in type (a server passes its own, custom types included).</summary>
    public NodeRegistry? Registry { get; init; }
}

/// <summary>
/// Runs the cases of a test file against a workflow payload. Each run is sequential inside (parallelism 1), with
/// the case's fixed clock and seeded randomness, so a case gives the same results every time; cases are
/// independent and may run in parallel. Thread-safe.
/// </summary>
public sealed class WorkflowTestRunner(TestRunSettings? settings = null)
{
    private static readonly NodeRegistry DefaultRegistry = NodeRegistry.CreateDefault();
    private readonly TestRunSettings _settings = settings ?? new TestRunSettings();

    /// <summary>
    /// Runs one case. Throws <see cref="TestFileException"/> when the case names nodes the workflow does not have.
    /// </summary>
    public async Task<CaseResult> RunCaseAsync(WorkflowTestFile file, JsonObject workflow, WorkflowTestCase testCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(testCase);
        var started = Stopwatch.GetTimestamp();
        var graph = WorkflowGraph.From(workflow);
        var targets = CheckNodeIds(file, testCase, graph);
        var payload = ApplySet(workflow, testCase);

        var offline = _settings.AllowNetwork ? null : new OfflineNetwork();
        var http = offline is null ? _settings.NetworkHttp ?? OutboundHttp.Default : new OutboundHttp(OfflineNetwork.Policy, resolver: offline, dialer: offline);
        try
        {
            var engine = new WorkflowEngine(new EngineOptions
            {
                Registry = _settings.Registry ?? DefaultRegistry,
                Limits = _settings.Limits,
                MaxDegreeOfParallelism = 1,
                Http = http,
                TimeProvider = new FixedClock(testCase.Now),
            });
            Workflow parsed;
            try
            {
                parsed = engine.Parse(payload.ToJsonString());
            }
            catch (WorkflowException ex)
            {
                var rejected = CheckRejection(testCase, ex);
                return new CaseResult(file.Path, testCase, rejected, Stopwatch.GetElapsedTime(started), null);
            }
            var run = await engine.ExecuteAsync(parsed, new RunOptions
            {
                PinnedResults = testCase.Pin,
                PinnedIterationResults = testCase.PinIterations,
                Random = new Random(testCase.Seed),
            }, cancellationToken).ConfigureAwait(false);
            var failures = new CaseChecks(testCase, run, graph, targets).Evaluate();
            if (offline is { Refused.Count: > 0 })
            {
                var unpinned = graph.HttpNodes.Where(id => !testCase.IsPinned(id)).ToList();
                var named = unpinned.Count == 1 ? $"http node '{unpinned[0]}' is" : $"http nodes {string.Join(", ", unpinned.Select(id => $"'{id}'"))} are";
                failures.Insert(0, new CaseFailure("network",
                    $"{named} not pinned and the run tried to reach {offline.Refused.First()}; pin its output or run with --allow-network",
                    NodePath: unpinned.Count == 1 ? graph.PathTo(unpinned[0], run.NodeResults, testCase.IsPinned) : null));
            }
            return new CaseResult(file.Path, testCase, failures, Stopwatch.GetElapsedTime(started), run);
        }
        finally
        {
            if (offline is not null) http.Dispose();
        }
    }

    private static List<CaseFailure> CheckRejection(WorkflowTestCase testCase, WorkflowException ex)
    {
        var message = $"workflow rejected: {ex.Message}";
        if (testCase.Expect.ErrorContains is { } expected && message.Contains(expected, StringComparison.Ordinal)) return [];
        return [new CaseFailure("error", message)];
    }

    /// <summary>Every node id the case names must exist; returns the resolved <c>node.*</c> expectations.</summary>
    private static Dictionary<NodeExpectation, (string NodeId, string[] Path)> CheckNodeIds(WorkflowTestFile file, WorkflowTestCase testCase, WorkflowGraph graph)
    {
        var location = $"{testCase.Location} \"{testCase.Name}\"";
        foreach (var id in testCase.Set.Keys)
        {
            if (!graph.Contains(id)) throw new TestFileException(file.Path, location, $"set.{id}", "the workflow has no node with this id");
        }
        foreach (var id in testCase.Pin.Keys)
        {
            if (!graph.Contains(id)) throw new TestFileException(file.Path, location, $"pin.{id}", "the workflow has no node with this id");
        }
        foreach (var id in testCase.PinIterations.Keys)
        {
            if (!graph.Contains(id)) throw new TestFileException(file.Path, location, $"pin_iterations.{id}", "the workflow has no node with this id");
            if (!graph.IsInBody(id)) throw new TestFileException(file.Path, location, $"pin_iterations.{id}", "the node is not inside a loop body; use pin");
        }
        foreach (var id in testCase.Expect.Skipped ?? [])
        {
            if (!graph.Contains(id)) throw new TestFileException(file.Path, location, "expect.skipped", $"the workflow has no node '{id}'");
        }
        var targets = new Dictionary<NodeExpectation, (string, string[])>();
        foreach (var expectation in testCase.Expect.Nodes)
        {
            targets[expectation] = graph.Resolve(expectation.Target)
                ?? throw new TestFileException(file.Path, location, $"expect.{expectation.Key}", "the workflow has no node with this id");
        }
        return targets;
    }

    /// <summary>The workflow with the case's <c>set</c> merged into its nodes' data.</summary>
    private static JsonObject ApplySet(JsonObject workflow, WorkflowTestCase testCase)
    {
        var payload = (JsonObject)workflow.DeepClone();
        if (testCase.Set.Count == 0 || payload["nodes"] is not JsonArray nodes) return payload;
        foreach (var node in nodes.OfType<JsonObject>())
        {
            if (node["id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || !testCase.Set.TryGetValue(id.GetValue<string>(), out var overrides)) continue;
            if (node["data"] is not JsonObject data) node["data"] = data = [];
            foreach (var (key, value) in overrides) data[key] = value?.DeepClone();
        }
        return payload;
    }
}
