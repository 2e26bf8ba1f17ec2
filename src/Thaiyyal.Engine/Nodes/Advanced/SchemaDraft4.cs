namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>
/// Rewrites draft-4 spellings that the validator library does not read into their draft-6 forms, as the
/// original's validator accepted both: boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become
/// numbers, and for a declared draft-4 schema <c>id</c> becomes <c>$id</c> and <c>$schema</c> is dropped.
/// </summary>
internal static class SchemaDraft4
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
            map[key] = new ValueObject(rewritten);
        }
        return new ValueObject(map);
    }

    private static void Exclusive(Dictionary<string, Value> map, string exclusive, string bound)
    {
        if (!map.TryGetValue(exclusive, out var flag) || !flag.TryGetBool(out var on)) return;
        map.Remove(exclusive);
        if (on && map.Remove(bound, out var limit)) map[exclusive] = limit;
    }
}
