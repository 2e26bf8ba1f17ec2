using System.Diagnostics;
using System.Globalization;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Testing;

namespace Thaiyyal.Cli;

/// <summary>What <c>thaiyyal test</c> was asked to do.</summary>
internal sealed record TestCommandOptions(
    IReadOnlyList<string> Paths,
    string? Filter,
    string? JUnitPath,
    bool Update,
    bool AllowNetwork,
    int Parallel,
    ExecutionLimits Limits);

/// <summary>
/// <c>thaiyyal test</c>: finds workflow test files, runs their cases in parallel, prints a line per case (and the
/// diff of each failure) and a summary. Exit 0: every case passed; 1: a case failed; 2: a test file is invalid.
/// </summary>
internal static class TestCommand
{
    public static async Task<int> RunAsync(TestCommandOptions options, TextWriter output, bool interactive, OutboundHttp? networkHttp, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<string> files;
        try
        {
            files = TestSuite.Discover(options.Paths.Count == 0 ? ["."] : options.Paths);
        }
        catch (FileNotFoundException ex)
        {
            output.WriteLine($"error: {ex.Message}");
            return 2;
        }
        if (files.Count == 0)
        {
            output.WriteLine($"error: no test files (*{string.Join(", *", TestFileReader.Suffixes)}) under {string.Join(", ", options.Paths)}");
            return 2;
        }
        var runner = new WorkflowTestRunner(new TestRunSettings { AllowNetwork = options.AllowNetwork, NetworkHttp = networkHttp, Limits = options.Limits });
        var suite = new TestSuite(runner, options.Parallel);
        var progress = new ProgressLine(output, interactive);
        var result = await suite.RunAsync(files, options.Filter, progress.Report, cancellationToken).ConfigureAwait(false);
        progress.Clear();

        foreach (var file in result.Files.Where(f => f.Invalid is not null))
        {
            output.WriteLine($"INVALID {file.Invalid!.Message}");
        }
        if (options.Update) await UpdateAsync(result, output, cancellationToken).ConfigureAwait(false);
        if (options.JUnitPath is { } junit)
        {
            await using var writer = new StreamWriter(junit, append: false, new System.Text.UTF8Encoding(false));
            JUnitReport.Write(result, writer);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var summary = $"{result.Passed} passed, {result.Failed} failed";
        if (result.InvalidFiles > 0) summary += $", {result.InvalidFiles} invalid file{(result.InvalidFiles == 1 ? "" : "s")}";
        output.WriteLine($"{summary} ({elapsed}s)");
        if (options.Update && result.InvalidFiles == 0) return 0;
        return result.ExitCode;
    }

    private static async Task UpdateAsync(SuiteResult result, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var file in result.Files.Where(f => f.Invalid is null && f.Cases.Count > 0))
        {
            var parsed = await TestFileReader.ReadFileAsync(file.Path, cancellationToken).ConfigureAwait(false);
            var text = SnapshotUpdater.Update(parsed, file.Cases);
            await File.WriteAllTextAsync(file.Path, text, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"updated {file.Path} ({file.Cases.Count} case{(file.Cases.Count == 1 ? "" : "s")})");
        }
    }

    /// <summary>
    /// Prints each finished case; on a terminal a "running n/m" line under them shows progress, rewritten in place.
    /// Cases finish on several threads, so every write is under one lock.
    /// </summary>
    private sealed class ProgressLine(TextWriter output, bool interactive)
    {
        private readonly Lock _lock = new();
        private int _done;
        private int _failed;

        public void Report(CaseResult result)
        {
            lock (_lock)
            {
                _done++;
                if (!result.Passed) _failed++;
                if (interactive) output.Write("\r\u001b[2K");
                var ms = result.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
                output.WriteLine($"{(result.Passed ? "PASS" : "FAIL")} {TestSuite.DisplayName(result.File, result.Case.Name)} ({ms} ms)");
                if (!result.Passed)
                {
                    foreach (var line in result.Describe().Split('\n')) output.WriteLine("    " + line);
                }
                if (interactive) output.Write($"running… {_done} done, {_failed} failed");
                output.Flush();
            }
        }

        public void Clear()
        {
            if (!interactive) return;
            lock (_lock) output.Write("\r\u001b[2K");
        }
    }
}
