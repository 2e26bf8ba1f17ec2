using System.Globalization;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Testing;

/// <summary>Checks one finished run against its case's <c>expect</c> and <c>assert</c>.</summary>
internal sealed class CaseChecks(
    WorkflowTestCase testCase,
    ExecutionResult run,
    WorkflowGraph graph,
    IReadOnlyDictionary<NodeExpectation, (string NodeId, string[] Path)> targets)
{
    private readonly List<CaseFailure> _failures = [];

    public List<CaseFailure> Evaluate()
    {
        var expect = testCase.Expect;
        CheckError(expect.ErrorContains);
        foreach (var expectation in expect.Nodes) CheckNode(expectation, targets[expectation]);
        if (expect.FinalOutput is { } final && run.Success) CheckValue("final_output", final, run.FinalOutput, FinalNode());
        if (expect.Skipped is { } skipped) CheckSkipped(skipped);
        for (var i = 0; i < testCase.Assert.Count; i++) CheckAssert(i, testCase.Assert[i]);
        return _failures;
    }

    private void CheckError(string? expected)
    {
        var error = run.Error;
        if (expected is null)
        {
            if (error is not null) _failures.Add(new CaseFailure("error", $"the run failed: {error.Message}", NodePath: PathTo(error.NodeId)));
            return;
        }
        if (error is null)
        {
            _failures.Add(new CaseFailure("error_contains", $"expected the run to fail with \"{expected}\", but it succeeded"));
            return;
        }
        if (!error.Message.Contains(expected, StringComparison.Ordinal))
        {
            _failures.Add(new CaseFailure("error_contains", "the run failed with another error",
                ValueMatcher.Describe([new Mismatch("error", Quote(expected), Quote(error.Message))]), PathTo(error.NodeId)));
        }
    }

    private void CheckNode(NodeExpectation expectation, (string NodeId, string[] Path) target)
    {
        if (!run.NodeResults.TryGetValue(target.NodeId, out var result))
        {
            if (run.Success)
                _failures.Add(new CaseFailure(expectation.Key, $"node '{target.NodeId}' did not run (it was skipped)", NodePath: PathTo(target.NodeId)));
            // A failed run already reports its error; a node after the failure has no result to compare.
            return;
        }
        var actual = Navigate(result, target.Path, out var found);
        if (!found)
        {
            _failures.Add(new CaseFailure(expectation.Key, $"node '{target.NodeId}' has no field '{string.Join('.', target.Path)}'",
                ValueMatcher.Describe([new Mismatch("$", ValueMatcher.Show(expectation.Expected), ValueMatcher.Show(result))]), PathTo(target.NodeId)));
            return;
        }
        CheckValue(expectation.Key, expectation.Expected, actual, target.NodeId);
    }

    private void CheckValue(string check, Value expected, Value actual, string? nodeId)
    {
        var mismatches = ValueMatcher.Compare(expected, actual);
        if (mismatches.Count == 0) return;
        _failures.Add(new CaseFailure(check, "value differs", ValueMatcher.Describe(mismatches), PathTo(nodeId)));
    }

    private void CheckSkipped(IReadOnlyList<string> skipped)
    {
        foreach (var id in skipped)
        {
            if (run.NodeResults.TryGetValue(id, out var result))
                _failures.Add(new CaseFailure("skipped", $"expected node '{id}' to be skipped, but it ran and gave {ValueMatcher.Show(result)}", NodePath: PathTo(id)));
        }
    }

    private void CheckAssert(int index, ParsedExpression expression)
    {
        var environment = ExpressionEnvironment.FromValues(nodeResults: run.NodeResults, timeProvider: new FixedClock(testCase.Now));
        var scope = new ExpressionScope(run.FinalOutput, environment);
        if (!expression.TryEvaluateValue(scope, out var value, out var error))
        {
            _failures.Add(new CaseFailure($"assert[{index}]", $"{expression.Text}: cannot be evaluated: {error.Message}"));
            return;
        }
        if (!value.TryGetBool(out var passed))
        {
            _failures.Add(new CaseFailure($"assert[{index}]", $"{expression.Text}: gave {ValueMatcher.Show(value)}, not true or false"));
            return;
        }
        if (!passed) _failures.Add(new CaseFailure($"assert[{index}]", $"{expression.Text}: is false"));
    }

    /// <summary>The value at a field path; array elements by index.</summary>
    internal static Value Navigate(Value value, IReadOnlyList<string> path, out bool found)
    {
        foreach (var segment in path)
        {
            if (value.TryGetObject(out var obj) && obj.TryGetValue(segment, out var child)) value = child;
            else if (value.TryGetArray(out var array) && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count) value = array[i];
            else
            {
                found = false;
                return default;
            }
        }
        found = true;
        return value;
    }

    /// <summary>The node whose result is the final output (the first terminal that ran with an equal result).</summary>
    private string? FinalNode()
    {
        foreach (var id in graph.Ids)
        {
            if (run.NodeResults.TryGetValue(id, out var result) && result.Equals(run.FinalOutput) && !graph.HasDependents(id)) return id;
        }
        return null;
    }

    private IReadOnlyList<string>? PathTo(string? nodeId) => nodeId is null || !graph.Contains(nodeId) ? null : graph.PathTo(nodeId, run.NodeResults, testCase.IsPinned);

    private static string Quote(string text) => ValueMatcher.Show(Value.From(text));
}
