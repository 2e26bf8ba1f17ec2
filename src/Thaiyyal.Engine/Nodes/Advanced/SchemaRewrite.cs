namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>
/// Rewrites a schema into the form the validator library (JsonSchema.Net 8) evaluates as the original's validator did:
/// <list type="bullet">
/// <item>draft-4 spellings become their draft-6 forms, as the original accepted both: boolean
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become numbers, and for a declared draft-4 schema <c>id</c> becomes
/// <c>$id</c> and <c>$schema</c> is dropped;</item>
/// <item>a <c>patternProperties</c> name with <c>~</c> or <c>/</c> is written with <c>\x7E</c>/<c>\x2F</c> for those
/// characters, the same regular expression. The library looks such a name up in its JSON Pointer escaped form and
/// fails with a missing key (<c>KeyNotFoundException</c>, JsonSchema.Net 8.0.5; found by the fuzzer).</item>
/// </list>
/// </summary>
internal static class SchemaRewrite
{
    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "definitions", "dependencies"];
    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "items"];
    private static readonly string[] SchemaValues = ["not", "items", "additionalItems", "additionalProperties", "contains", "propertyNames", "if", "then", "else"];

    public static Value Upgrade(Value schema)
    {
        var draft4 = schema.TryGetObject(out var root) && root.GetOrNull("$schema").TryGetString(out var uri) && uri.Contains("draft-04", StringComparison.Ordinal);
        return Rewrite(schema, draft4, isRoot: true);
    }

    private static Value Rewrite(Value schema, bool draft4, bool isRoot)
    {
        if (!schema.TryGetObject(out var obj)) return schema;
        var map = obj.ToDictionary();
        Exclusive(map, "exclusiveMinimum", "minimum");
        Exclusive(map, "exclusiveMaximum", "maximum");
        if (draft4)
        {
            if (isRoot) map.Remove("$schema");
            if (map.Remove("id", out var id) && id.IsString && !map.ContainsKey("$id")) map["$id"] = id;
        }
        foreach (var key in SchemaValues)
        {
            if (map.TryGetValue(key, out var sub) && sub.IsObject) map[key] = Rewrite(sub, draft4, false);
        }
        foreach (var key in SchemaLists)
        {
            if (map.TryGetValue(key, out var list) && list.TryGetArray(out var items))
                map[key] = new ValueArray(items.Select(s => Rewrite(s, draft4, false)));
        }
        foreach (var key in SchemaMaps)
        {
            if (!map.TryGetValue(key, out var members) || !members.TryGetObject(out var named)) continue;
            var rewritten = named.ToDictionary();
            foreach (var (name, sub) in named) rewritten[name] = Rewrite(sub, draft4, false);
            if (key == "patternProperties") PointerSafeNames(rewritten);
            map[key] = new ValueObject(rewritten);
        }
        return new ValueObject(map);
    }

    private static void PointerSafeNames(Dictionary<string, Value> patterns)
    {
        foreach (var name in patterns.Keys.Where(n => n.AsSpan().IndexOfAny('~', '/') >= 0).ToList())
        {
            var safe = PointerSafePattern(name);
            // A schema naming the same expression both ways keeps its names (and the library's error for them).
            if (patterns.ContainsKey(safe)) continue;
            patterns.Remove(name, out var sub);
            patterns[safe] = sub;
        }
    }

    /// <summary>
    /// The regular expression with every <c>~</c> and <c>/</c>, escaped or not, written as a hexadecimal escape: the
    /// same expression, since neither character is special in a pattern, nor part of any escape but <c>\~</c>, <c>\/</c>.
    /// </summary>
    public static string PointerSafePattern(string pattern)
    {
        var safe = new System.Text.StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var escaped = pattern[++i];
                if (escaped is '~' or '/') safe.Append(Hex(escaped));
                else safe.Append(c).Append(escaped);
                continue;
            }
            if (c is '~' or '/') safe.Append(Hex(c));
            else safe.Append(c);
        }
        return safe.ToString();
    }

    private static string Hex(char c) => c == '~' ? @"\x7E" : @"\x2F";

    private static void Exclusive(Dictionary<string, Value> map, string exclusive, string bound)
    {
        if (!map.TryGetValue(exclusive, out var flag) || !flag.TryGetBool(out var on)) return;
        map.Remove(exclusive);
        if (on && map.Remove(bound, out var limit)) map[exclusive] = limit;
    }
}
