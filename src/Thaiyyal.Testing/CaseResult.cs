using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Testing;

/// <summary>One failed check of a case.</summary>
/// <param name="Check">What was checked: <c>node.total</c>, <c>final_output</c>, <c>skipped</c>, <c>error</c>, <c>assert[0]</c>, <c>network</c>.</param>
/// <param name="Message">One line saying what went wrong.</param>
/// <param name="Diff">Expected against actual, place by place, when values differ.</param>
/// <param name="NodePath">The nodes that led to the node concerned, from a start node to it.</param>
public sealed record CaseFailure(string Check, string Message, string? Diff = null, IReadOnlyList<string>? NodePath = null);

/// <summary>The outcome of one case.</summary>
/// <param name="Run">The run, when the workflow ran (null when it was rejected before running).</param>
public sealed record CaseResult(string File, WorkflowTestCase Case, IReadOnlyList<CaseFailure> Failures, TimeSpan Duration, ExecutionResult? Run)
{
    public bool Passed => Failures.Count == 0;

    /// <summary>Every failure as readable text: message, diff, node path.</summary>
    public string Describe()
    {
        var lines = new List<string>();
        foreach (var f in Failures)
        {
            lines.Add($"{f.Check}: {f.Message}");
            if (f.Diff is not null) lines.Add(f.Diff);
            if (f.NodePath is { Count: > 0 } path) lines.Add("  path: " + string.Join(" → ", path));
        }
        return string.Join('\n', lines);
    }
}
