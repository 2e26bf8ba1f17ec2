using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Testing;

/// <summary>
/// <c>--update</c>: rewrites each case's <c>expect</c> from what the run actually gave, snapshot style. Keys the
/// case already checks keep being checked, with today's values; a case that checked nothing gets its final
/// output; a failed run gets <c>error_contains</c> with its error. <c>assert</c>, <c>set</c>, <c>pin</c> and <c>pin_iterations</c> stay as written.
/// </summary>
public static class SnapshotUpdater
{
    /// <summary>Updates the file's document in place and returns the new text, in the file's own format.</summary>
    public static string Update(WorkflowTestFile file, IEnumerable<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(results);
        var cases = (JsonArray)file.Document["cases"]!;
        foreach (var result in results)
        {
            if (result.Run is not { } run) continue;
            var source = (JsonObject)cases[result.Case.Index]!;
            var old = source["expect"] as JsonObject ?? [];
            var expect = new JsonObject();
            if (run.Error is { } error)
            {
                expect["error_contains"] = error.Message;
            }
            else
            {
                foreach (var (key, _) in old)
                {
                    if (key == "final_output") expect[key] = TestFileReader.ToJson(run.FinalOutput);
                    else if (key == "skipped") expect[key] = new JsonArray([.. Skipped(source, result).Select(id => (JsonNode)id)]);
                    else if (key.StartsWith("node.", StringComparison.Ordinal) && Actual(run.NodeResults, key[5..]) is { } actual) expect[key] = TestFileReader.ToJson(actual);
                }
                if (expect.Count == 0) expect["final_output"] = TestFileReader.ToJson(run.FinalOutput);
            }
            source["expect"] = expect;
        }
        return file.Format == TestFileFormat.Json ? WriteJson(file.Document) : YamlJson.Write(file.Document);
    }

    private static IEnumerable<string> Skipped(JsonObject source, CaseResult result)
    {
        var expected = result.Case.Expect.Skipped ?? [];
        // Keep the nodes the case named that still did not run; the runner checked each of them.
        return expected.Where(id => !result.Run!.NodeResults.ContainsKey(id));
    }

    private static Value? Actual(ValueObject results, string target)
    {
        foreach (var (id, result) in results)
        {
            if (target == id) return result;
            if (target.StartsWith(id + ".", StringComparison.Ordinal))
            {
                var value = CaseChecks.Navigate(result, target[(id.Length + 1)..].Split('.'), out var found);
                if (found) return value;
            }
        }
        return null;
    }

    private static string WriteJson(JsonObject document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
