using System.Text.Json;
using System.Text.Json.Nodes;

namespace Thaiyyal.Engine.Tests.Conformance;

/// <summary>Finds and loads the shared conformance cases (../shared/conformance/cases beside the repository).</summary>
public static class ConformanceCases
{
    /// <summary>The cases folder: <c>THAIYYAL_CONFORMANCE_DIR</c>, else <c>../shared/conformance/cases</c> from the repository root.</summary>
    public static string Directory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("THAIYYAL_CONFORMANCE_DIR");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var root = RepositoryRoot();
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "cases"));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Thaiyyal.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (Thaiyyal.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>Every case file, sorted by path, with its parsed content.</summary>
    public static IReadOnlyList<ConformanceCase> Load()
    {
        var dir = Directory();
        if (!System.IO.Directory.Exists(dir)) throw new DirectoryNotFoundException($"conformance cases not found at {dir} (set THAIYYAL_CONFORMANCE_DIR)");
        var cases = new List<ConformanceCase>();
        foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if (node["workflow"] is null || node["expect"] is null) continue;
            var name = node["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file);
            cases.Add(new ConformanceCase(name, Path.GetRelativePath(dir, file), node["workflow"]!.ToJsonString(), node["expect"]!.AsObject()));
        }
        return cases;
    }
}

public sealed record ConformanceCase(string Name, string RelativePath, string WorkflowJson, JsonObject Expect)
{
    /// <summary>Node types the case's workflow uses.</summary>
    public IEnumerable<string> NodeTypes()
    {
        using var doc = JsonDocument.Parse(WorkflowJson);
        if (!doc.RootElement.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array) yield break;
        foreach (var n in nodes.EnumerateArray())
        {
            if (n.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String) yield return t.GetString()!;
        }
    }
}
