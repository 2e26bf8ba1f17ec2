using System.Text.Json.Nodes;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Testing;

/// <summary>How a test file is written on disk; <c>--update</c> writes it back the same way.</summary>
public enum TestFileFormat
{
    Json,
    Yaml,
}

/// <summary>Which workflow a test file tests: a file next to it, a stored workflow (server only), or one written inline.</summary>
/// <param name="Reference">The <c>workflow</c> string as written (path or stored id); null when inline.</param>
/// <param name="Inline">The workflow payload when the file holds it.</param>
public sealed record WorkflowReference(string? Reference, JsonObject? Inline);

/// <summary>One decoded test file. <see cref="Document"/> is the file's own tree, kept for <c>--update</c>.</summary>
public sealed record WorkflowTestFile(
    string Path,
    TestFileFormat Format,
    WorkflowReference Workflow,
    IReadOnlyList<WorkflowTestCase> Cases,
    JsonObject Document);

/// <summary>One case: what it changes in the workflow, what it pins, and what it expects.</summary>
/// <param name="Index">Position in the file's <c>cases</c>, for error messages and <c>--update</c>.</param>
/// <param name="Set">Node data overrides by node id, merged key by key into the node's <c>data</c>.</param>
/// <param name="Pin">Results by node id that replace running those nodes.</param>
/// <param name="PinIterations">Results by node id and loop iteration for nodes inside loop bodies.</param>
/// <param name="Now">What <c>now()</c> and timestamps read during the run.</param>
/// <param name="Seed">Seed of the run's randomness (<c>sample</c>).</param>
public sealed record WorkflowTestCase(
    int Index,
    string Name,
    IReadOnlyDictionary<string, JsonObject> Set,
    IReadOnlyDictionary<string, Value> Pin,
    IReadOnlyDictionary<string, IReadOnlyList<Value>> PinIterations,
    DateTimeOffset Now,
    int Seed,
    CaseExpectations Expect,
    IReadOnlyList<ParsedExpression> Assert)
{
    /// <summary>The JSON path of this case in its file, e.g. <c>cases[2]</c>.</summary>
    public string Location => $"cases[{Index}]";

    /// <summary>Whether the node is pinned, with one value or per iteration.</summary>
    public bool IsPinned(string nodeId) => Pin.ContainsKey(nodeId) || PinIterations.ContainsKey(nodeId);
}

/// <summary>The <c>expect</c> block. Absent keys are not checked.</summary>
public sealed record CaseExpectations(
    IReadOnlyList<NodeExpectation> Nodes,
    Value? FinalOutput,
    IReadOnlyList<string>? Skipped,
    string? ErrorContains)
{
    public static CaseExpectations None { get; } = new([], null, null, null);
}

/// <summary>An <c>expect</c> entry <c>"node.&lt;id&gt;[.field…]": value</c>.</summary>
/// <param name="Key">The key as written.</param>
/// <param name="Target">The node id and optional field path, before they are resolved against the workflow.</param>
public sealed record NodeExpectation(string Key, string Target, Value Expected);

/// <summary>A test file that cannot be used: names the file, the case (when one) and the field.</summary>
public sealed class TestFileException(string file, string? location, string field, string problem)
    : Exception($"{file}: {(location is null ? "" : location + ": ")}{field}: {problem}")
{
    public string File { get; } = file;
    public string? Location { get; } = location;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
