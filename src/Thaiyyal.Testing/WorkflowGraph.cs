using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Testing;

/// <summary>The node ids and edges of a workflow payload, for checking a test's ids and tracing how a node was reached.</summary>
internal sealed class WorkflowGraph
{
    private readonly List<string> _ids = [];
    private readonly List<string> _httpNodes = [];
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _incoming = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Ids => _ids;

    /// <summary>Nodes of type <c>http</c>, scope bodies included.</summary>
    public IReadOnlyList<string> HttpNodes => _httpNodes;

    public static WorkflowGraph From(JsonObject workflow)
    {
        var graph = new WorkflowGraph();
        foreach (var node in (workflow["nodes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(node["id"]) is not { } id) continue;
            graph._ids.Add(id);
            if (Text(node["type"]) == "http") graph._httpNodes.Add(id);
            if (Text(node["parentId"]) is { } parent) graph._parents[id] = parent;
        }
        foreach (var edge in (workflow["edges"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(edge["source"]) is not { } source || Text(edge["target"]) is not { } target) continue;
            if (!graph._incoming.TryGetValue(target, out var list)) graph._incoming[target] = list = [];
            list.Add(source);
        }
        return graph;
    }

    public bool HasDependents(string id) => _incoming.Values.Any(sources => sources.Contains(id, StringComparer.Ordinal));

    public bool Contains(string id) => _ids.Contains(id, StringComparer.Ordinal);

    /// <summary>Whether the node sits inside a scope's body.</summary>
    public bool IsInBody(string id) => _parents.ContainsKey(id);

    /// <summary><c>total</c> or <c>total.result.sum</c>: the longest node id the target starts with, then the field path.</summary>
    public (string NodeId, string[] Path)? Resolve(string target)
    {
        if (Contains(target)) return (target, []);
        string? best = null;
        foreach (var id in _ids)
        {
            if (target.Length > id.Length && target.StartsWith(id, StringComparison.Ordinal) && target[id.Length] == '.' && (best is null || id.Length > best.Length))
                best = id;
        }
        return best is null ? null : (best, target[(best.Length + 1)..].Split('.'));
    }

    /// <summary>
    /// The nodes that led to <paramref name="nodeId"/>: from it, back along edges whose source ran (or was pinned),
    /// to a node with no such edge; returned start first.
    /// </summary>
    public IReadOnlyList<string> PathTo(string nodeId, ValueObject results, Func<string, bool> isPinned)
    {
        var path = new List<string> { nodeId };
        var seen = new HashSet<string>(StringComparer.Ordinal) { nodeId };
        var current = nodeId;
        while (true)
        {
            // A scope body's entry node is reached through its scope node.
            var sources = _incoming.GetValueOrDefault(current) ?? (_parents.TryGetValue(current, out var parent) ? [parent] : null);
            if (sources is null) break;
            var next = sources.FirstOrDefault(s => !seen.Contains(s) && (results.ContainsKey(s) || isPinned(s)))
                ?? sources.FirstOrDefault(s => !seen.Contains(s));
            if (next is null) break;
            path.Add(next);
            seen.Add(next);
            current = next;
        }
        path.Reverse();
        return path;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
