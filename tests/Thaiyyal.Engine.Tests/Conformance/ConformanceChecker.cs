using System.Text.Json.Nodes;

namespace Thaiyyal.Engine.Tests.Conformance;

/// <summary>
/// Compares an execute-API body with a case's expectations, by the rules of ../shared/conformance/run.py:
/// <c>$absent</c>, <c>$any</c>, <c>$type:T</c>, relative number tolerance 1e-9, exact object keys, ordered arrays.
/// </summary>
public static class ConformanceChecker
{
    private const string Absent = "$absent";

    /// <summary>Null when <paramref name="body"/> meets the expectations, else the reason.</summary>
    public static string? Check(JsonObject expect, JsonNode? body, int? status = null)
    {
        if (body is not JsonObject response) return $"response is not a JSON object: {Short(body)}";
        if (expect["status"] is JsonValue wantStatus && status is not null && status != wantStatus.GetValue<int>())
            return $"HTTP status {status}, want {wantStatus}";
        var wantSuccess = expect["success"]!.GetValue<bool>();
        var success = response["success"] is JsonValue s && s.TryGetValue<bool>(out var b) ? b : (bool?)null;
        if (success != wantSuccess)
            return $"success={success}, want {wantSuccess} {Short(response["details"] ?? response["error"])}";
        var results = response["results"] as JsonObject;
        if (!wantSuccess)
        {
            var want = expect["error_contains"]?.GetValue<string>();
            var text = $"{Text(response["error"])} {Text(response["details"])}";
            if (results?["errors"] is JsonArray errors) text += " " + string.Join(" ", errors.Select(Text));
            return want is not null && !text.Contains(want, StringComparison.OrdinalIgnoreCase) ? $"error text \"{text.Trim()}\" lacks '{want}'" : null;
        }
        var nodeResults = results?["node_results"] as JsonObject ?? [];
        if (expect["node_results"] is JsonObject wantNodes)
        {
            foreach (var (id, want) in wantNodes)
            {
                if (want is JsonValue v && v.TryGetValue<string>(out var str) && str == Absent)
                {
                    if (nodeResults.ContainsKey(id)) return $"node {id}: want no result, got {Short(nodeResults[id])}";
                    continue;
                }
                if (!nodeResults.ContainsKey(id)) return $"node {id}: no result, want {Short(want)}";
                var reason = Match(want, nodeResults[id], $"node_results.{id}");
                if (reason is not null) return reason;
            }
        }
        if (expect.ContainsKey("final_output"))
        {
            return Match(expect["final_output"], results?["final_output"], "final_output");
        }
        return null;
    }

    private static string? Match(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonValue ev && ev.TryGetValue<string>(out var pattern))
        {
            if (pattern == "$any") return null;
            if (pattern.StartsWith("$type:", StringComparison.Ordinal))
            {
                var want = pattern[6..];
                return TypeName(actual) == want ? null : $"{path}: want {want}, got {TypeName(actual)} {Short(actual)}";
            }
        }
        var expectedType = TypeName(expected);
        var actualType = TypeName(actual);
        if (expectedType == "number" && actualType == "number")
        {
            var e = expected!.GetValue<double>();
            var a = actual!.GetValue<double>();
            if (e == a || Math.Abs(e - a) <= Math.Max(1e-9 * Math.Max(Math.Abs(e), Math.Abs(a)), 1e-12)) return null;
            return $"{path}: want {e}, got {a}";
        }
        if (expectedType != actualType) return $"{path}: want {Short(expected)}, got {Short(actual)}";
        switch (expected)
        {
            case JsonArray ea:
                {
                    var aa = (JsonArray)actual!;
                    if (ea.Count != aa.Count) return $"{path}: want {ea.Count} items, got {aa.Count}: {Short(actual)}";
                    for (var i = 0; i < ea.Count; i++)
                    {
                        var r = Match(ea[i], aa[i], $"{path}[{i}]");
                        if (r is not null) return r;
                    }
                    return null;
                }
            case JsonObject eo:
                {
                    var ao = (JsonObject)actual!;
                    var wantKeys = eo.Where(p => !(p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s == Absent)).Select(p => p.Key).ToHashSet();
                    var extra = ao.Select(p => p.Key).Where(k => !eo.ContainsKey(k)).Order().ToList();
                    var missing = wantKeys.Where(k => !ao.ContainsKey(k)).Order().ToList();
                    if (extra.Count > 0 || missing.Count > 0)
                        return $"{path}: keys differ, missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]";
                    foreach (var k in wantKeys)
                    {
                        var r = Match(eo[k], ao[k], $"{path}.{k}");
                        if (r is not null) return r;
                    }
                    return null;
                }
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: want {Short(expected)}, got {Short(actual)}";
        }
    }

    private static string TypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "array",
        JsonObject => "object",
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "bool",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => "number",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => "string",
        _ => "null",
    };

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";

    private static string Short(JsonNode? node)
    {
        var s = node?.ToJsonString() ?? "null";
        return s.Length <= 160 ? s : s[..157] + "...";
    }
}
