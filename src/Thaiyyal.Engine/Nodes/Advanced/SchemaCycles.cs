namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>
/// Finds a schema's references that lead back to themselves without moving into the input: <c>{"$ref": "#"}</c>,
/// <c>{"allOf": [{"$ref": "#"}]}</c>, two definitions that refer to each other. JsonSchema.Net follows such a loop
/// until the process's stack overflows, which no handler can catch (a crash of the server, found by hand after the
/// fuzzer's finding in the same node). A reference reached through <c>properties</c>, <c>items</c> and the other
/// keywords that apply to a part of the input is bounded by the input's depth and is fine (a tree's schema).
/// <para>
/// The walk follows the keywords that apply a subschema to the same input (<c>allOf</c>, <c>anyOf</c>, <c>oneOf</c>,
/// <c>not</c>, <c>if</c>, <c>then</c>, <c>else</c>, <c>dependentSchemas</c>, schema <c>dependencies</c>) and the
/// references (<c>$ref</c>, <c>$recursiveRef</c>, <c>$dynamicRef</c>). A reference is followed to every subschema it
/// may name: a JSON Pointer from the root, a subschema whose <c>$id</c> or anchor it names, and for the dynamic ones
/// every subschema with a matching dynamic anchor as well. So a loop is found wherever the library could take one; a
/// schema whose reference could name a subschema that would loop is refused even if the library would resolve it
/// elsewhere.
/// </para>
/// </summary>
internal static class SchemaCycles
{
    private static readonly string[] InPlaceLists = ["allOf", "anyOf", "oneOf"];
    private static readonly string[] InPlaceValues = ["not", "if", "then", "else"];
    private static readonly string[] InPlaceMaps = ["dependentSchemas", "dependencies"];
    private static readonly string[] References = ["$ref", "$recursiveRef", "$dynamicRef"];

    /// <summary>
    /// Steps the walk may take: a schema whose references could name thousands of subschemas each is refused rather
    /// than checked for minutes (a payload's size alone does not bound the walk, since a reference may name many).
    /// </summary>
    internal const int MaxSteps = 1_000_000;

    /// <summary>
    /// Why the schema cannot be evaluated safely (<c>reference cycle that never moves into the input: #/allOf/0 -> #</c>),
    /// or null when it can.
    /// </summary>
    public static string? Find(Value root)
    {
        var steps = new int[1];   // shared with the reference lookups, which count the subschemas they examine
        var identified = new List<(string Path, ValueObject Node)>();
        CollectIdentified(root, "#", identified, 0);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);   // false: on the current path; true: done
        var path = new List<string>();
        var stack = new Stack<(string Path, object Node, IEnumerator<(string, object)>? Next)>();
        stack.Push(("#", root, null));
        while (stack.Count > 0)
        {
            var (at, node, next) = stack.Pop();
            if (next is null)
            {
                if (state.TryGetValue(at, out var done))
                {
                    if (done) continue;
                    var start = path.IndexOf(at);
                    // The loop's subschemas, from the first back to it (the references between them are not shown).
                    var shown = path.Skip(start).Where(p => p.StartsWith('#')).ToList();
                    shown.Add(shown[0]);
                    return "reference cycle that never moves into the input: " + string.Join(" -> ", shown);
                }
                state[at] = false;
                path.Add(at);
                next = Edges(at, node, root, identified, steps).GetEnumerator();
            }
            if (++steps[0] > MaxSteps) return $"too many references to check for cycles: they name more than {MaxSteps} subschemas in all";
            if (next.MoveNext())
            {
                stack.Push((at, node, next));
                var (toPath, toNode) = next.Current;
                stack.Push((toPath, toNode, null));
                continue;
            }
            next.Dispose();
            state[at] = true;
            path.RemoveAt(path.Count - 1);
        }
        return null;
    }

    /// <summary>The subschemas applied to the same input as <paramref name="node"/>, or that a reference may name.</summary>
    private static IEnumerable<(string Path, object Node)> Edges(string at, object node, Value root, List<(string Path, ValueObject Node)> identified,
        int[] steps)
    {
        if (node is Reference reference)
        {
            steps[0] += identified.Count;
            foreach (var (path, target) in Targets(reference.Text, reference.Dynamic, root, identified)) yield return (path, target);
            yield break;
        }
        if (node is not Value value || !value.TryGetObject(out var schema)) yield break;
        foreach (var key in InPlaceLists)
        {
            if (!schema.GetOrNull(key).TryGetArray(out var items)) continue;
            for (var i = 0; i < items.Count; i++) yield return ($"{at}/{key}/{i}", items[i]);
        }
        foreach (var key in InPlaceValues)
        {
            if (schema.TryGetValue(key, out var sub)) yield return ($"{at}/{key}", sub);
        }
        foreach (var key in InPlaceMaps)
        {
            if (!schema.GetOrNull(key).TryGetObject(out var named)) continue;
            foreach (var (name, sub) in named)
            {
                if (sub.IsObject) yield return ($"{at}/{key}/{JsonPointerPath.Escape(name)}", sub);
            }
        }
        foreach (var key in References)
        {
            // Through a node of its own, so that the subschemas one reference may name are listed once, however many
            // subschemas hold it.
            if (schema.GetOrNull(key).TryGetString(out var text)) yield return ($"{key} {text}", new Reference(key != "$ref", text));
        }
    }

    /// <summary>A reference as a step of the walk: its edges are every subschema it may name.</summary>
    private sealed record Reference(bool Dynamic, string Text);

    /// <summary>Every subschema <paramref name="reference"/> may name.</summary>
    private static IEnumerable<(string Path, Value Node)> Targets(string reference, bool dynamic, Value root, List<(string Path, ValueObject Node)> identified)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var resource = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? "" : reference[(hash + 1)..];
        var bases = new List<(string Path, Value Node)>();
        if (resource.Length == 0) bases.Add(("#", root));
        foreach (var (path, node) in identified)
        {
            if (resource.Length > 0 && SameResource(node, resource)) bases.Add((path, node));
        }
        foreach (var (path, node) in bases)
        {
            if (fragment.Length == 0)
            {
                yield return (path, node);
            }
            else if (fragment.StartsWith('/'))
            {
                var segments = JsonPointerPath.Segments(Uri.UnescapeDataString(fragment));
                if (JsonPointerPath.TryResolve(node, segments, out var target))
                    yield return (path + "/" + string.Join("/", segments.Select(JsonPointerPath.Escape)), target);
            }
        }
        if (fragment.Length > 0 && !fragment.StartsWith('/'))
        {
            // A named anchor, wherever it is declared (its resource is not worked out here).
            foreach (var (path, node) in identified)
            {
                if (Names(node, "$anchor", fragment) || Names(node, "$dynamicAnchor", fragment)) yield return (path, node);
            }
        }
        if (dynamic)
        {
            foreach (var (path, node) in identified)
            {
                if (node.GetOrNull("$recursiveAnchor").TryGetBool(out var on) && on) yield return (path, node);
            }
        }
    }

    /// <summary>True when the subschema's <c>$id</c> (or draft-4 <c>id</c>) may be the resource <paramref name="uri"/> names.</summary>
    private static bool SameResource(ValueObject node, string uri)
    {
        foreach (var key in new[] { "$id", "id" })
        {
            if (!node.GetOrNull(key).TryGetString(out var id)) continue;
            var hash = id.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) id = id[..hash];
            if (id.Length == 0) continue;
            if (string.Equals(id, uri, StringComparison.Ordinal) || id.EndsWith("/" + uri, StringComparison.Ordinal)
                || uri.EndsWith("/" + id, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static bool Names(ValueObject node, string key, string name) =>
        node.GetOrNull(key).TryGetString(out var declared) && string.Equals(declared, name, StringComparison.Ordinal);

    /// <summary>Every object in the schema that a reference can name by more than a pointer: it has an id or an anchor.</summary>
    private static void CollectIdentified(Value value, string path, List<(string Path, ValueObject Node)> identified, int depth)
    {
        if (depth > 256) return;   // the payload reader's own depth limit is far lower
        if (value.TryGetArray(out var items))
        {
            for (var i = 0; i < items.Count; i++) CollectIdentified(items[i], $"{path}/{i}", identified, depth + 1);
            return;
        }
        if (!value.TryGetObject(out var obj)) return;
        if (obj.ContainsKey("$id") || obj.ContainsKey("id") || obj.ContainsKey("$anchor") || obj.ContainsKey("$dynamicAnchor")
            || obj.ContainsKey("$recursiveAnchor"))
            identified.Add((path, obj));
        foreach (var (key, sub) in obj) CollectIdentified(sub, $"{path}/{JsonPointerPath.Escape(key)}", identified, depth + 1);
    }
}
