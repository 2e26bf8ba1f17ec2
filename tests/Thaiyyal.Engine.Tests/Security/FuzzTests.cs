using Thaiyyal.Fuzz;

namespace Thaiyyal.Engine.Tests.Security;

/// <summary>A short run of the fuzzer (scripts/fuzz.sh runs the long one) and the kept findings as regressions.</summary>
public sealed class FuzzTests
{
    private static IReadOnlyList<string> Corpus() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();

    [Fact]
    public void Twenty_thousand_generated_inputs_raise_nothing_unexpected()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count >= 5, "the fuzz corpus is copied next to the tests");
        var report = new FuzzRunner(corpus).Run(seed: 20_260_104, count: 20_000, budget: TimeSpan.FromMinutes(5));
        Assert.Empty(report.Unexpected);
        Assert.Equal(20_000, report.Inputs);
        // The generator reaches both sides: refused inputs and workflows that run.
        Assert.True(report.Rejected > 1_000 && report.Runs > 1_000, $"rejected {report.Rejected}, runs {report.Runs}");
    }

    [Fact]
    public void Every_corpus_payload_decodes_and_runs()
    {
        var runner = new FuzzRunner(Corpus());
        foreach (var payload in Corpus())
        {
            var (_, problem, outcome) = runner.TryPayload(payload);
            Assert.Null(problem);
            Assert.True(outcome == FuzzRunner.Outcome.Ran, payload[..Math.Min(80, payload.Length)] + " " + outcome);
        }
    }

    [Fact]
    public void Findings_of_earlier_fuzzing_stay_fixed()
    {
        // fuzz/regressions: inputs that once escaped (YAML with an unterminated flow sequence threw InvalidOperationException;
        // a scope chain whose unknown parent lay above a known one threw from the compiler; a schema's patternProperties
        // name with "/" or "~" made the validator library throw KeyNotFoundException).
        var findings = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "regressions"), "*.json");
        Assert.NotEmpty(findings);
        var runner = new FuzzRunner(Corpus());
        foreach (var path in findings)
        {
            var (_, problem, _) = runner.TryPayload(File.ReadAllText(path));
            Assert.True(problem is null, $"{Path.GetFileName(path)}: {problem}");
        }
    }
}
