using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Thaiyyal.Testing;

/// <summary>A test file that could not be used, or one whose cases ran.</summary>
public sealed record FileOutcome(string Path, IReadOnlyList<CaseResult> Cases, TestFileException? Invalid);

/// <summary>Everything one <c>thaiyyal test</c> ran.</summary>
public sealed record SuiteResult(IReadOnlyList<FileOutcome> Files)
{
    public IEnumerable<CaseResult> Cases => Files.SelectMany(f => f.Cases);

    public int Passed => Cases.Count(c => c.Passed);

    public int Failed => Cases.Count(c => !c.Passed);

    public int InvalidFiles => Files.Count(f => f.Invalid is not null);

    /// <summary>0 when every case passed, 1 when one failed, 2 when a test file is invalid (or none was found).</summary>
    public int ExitCode => InvalidFiles > 0 || Files.Count == 0 ? 2 : Failed > 0 ? 1 : 0;
}

/// <summary>Finds test files under paths, loads their workflows, and runs every case, several at a time.</summary>
public sealed class TestSuite(WorkflowTestRunner runner, int maxParallelCases)
{
    /// <summary>Test files under <paramref name="paths"/> (files themselves, or directories searched recursively), sorted.</summary>
    public static IReadOnlyList<string> Discover(IEnumerable<string> paths)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path)) found.Add(Path.GetFullPath(path));
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                {
                    if (TestFileReader.IsTestFile(file)) found.Add(Path.GetFullPath(file));
                }
            }
            else throw new FileNotFoundException($"no such file or directory: {path}", path);
        }
        return [.. found];
    }

    /// <summary>
    /// Runs the cases of <paramref name="files"/> whose "file › case" name contains <paramref name="filter"/>.
    /// <paramref name="onCase"/> hears of each case as it finishes (from several threads).
    /// </summary>
    public async Task<SuiteResult> RunAsync(IReadOnlyList<string> files, string? filter, Action<CaseResult>? onCase, CancellationToken cancellationToken)
    {
        var loaded = new List<(string Path, WorkflowTestFile? File, JsonObject? Workflow, TestFileException? Invalid)>();
        foreach (var path in files)
        {
            try
            {
                var file = await TestFileReader.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
                loaded.Add((path, file, await LoadWorkflowAsync(file, cancellationToken).ConfigureAwait(false), null));
            }
            catch (TestFileException ex)
            {
                loaded.Add((path, null, null, ex));
            }
        }
        var work = loaded
            .Where(l => l.File is not null)
            .SelectMany(l => l.File!.Cases.Select(c => (l.Path, File: l.File!, Workflow: l.Workflow!, Case: c)))
            .Where(w => filter is null || DisplayName(w.Path, w.Case.Name).Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var results = new ConcurrentDictionary<(string, int), CaseResult>();
        var invalid = new ConcurrentDictionary<string, TestFileException>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelCases), CancellationToken = cancellationToken }, async (w, token) =>
        {
            try
            {
                var result = await runner.RunCaseAsync(w.File, w.Workflow, w.Case, token).ConfigureAwait(false);
                results[(w.Path, w.Case.Index)] = result;
                onCase?.Invoke(result);
            }
            catch (TestFileException ex)
            {
                invalid.TryAdd(w.Path, ex);
            }
        }).ConfigureAwait(false);
        return new SuiteResult([.. loaded.Select(l =>
        {
            var error = l.Invalid ?? invalid.GetValueOrDefault(l.Path);
            var cases = error is not null ? [] : results.Where(r => r.Key.Item1 == l.Path).OrderBy(r => r.Key.Item2).Select(r => r.Value).ToList();
            return new FileOutcome(l.Path, cases, error);
        })]);
    }

    /// <summary>How a case is named in output and reports: the file's name and the case's.</summary>
    public static string DisplayName(string path, string caseName) => $"{Path.GetFileName(path)} › {caseName}";

    /// <summary>The workflow a file names: a path relative to the file, or the inline payload.</summary>
    public static async Task<JsonObject> LoadWorkflowAsync(WorkflowTestFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Workflow.Inline is { } inline) return inline;
        var reference = file.Workflow.Reference!;
        var full = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file.Path)) ?? ".", reference);
        try
        {
            var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
            return TestFileReader.ParseWorkflow(text) ?? throw new TestFileException(file.Path, null, "workflow", $"{reference} is not a workflow object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TestFileException(file.Path, null, "workflow", $"cannot read {reference}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new TestFileException(file.Path, null, "workflow", $"{reference} is not valid JSON: {ex.Message}");
        }
    }
}
