namespace Thaiyyal.Engine.Graph;

/// <summary>When an edge's <c>sourceHandle</c> is satisfied by its source's result (workflow-format.md §8.2).</summary>
internal static class HandleRules
{
    public static bool IsSatisfied(Value result, string handle)
    {
        if (!result.TryGetObject(out var obj)) return false;
        if (obj.TryGetValue("path", out var path) && path.TryGetString(out var p) && p == handle) return true;
        if (obj.TryGetValue("output_path", out var outputPath) && outputPath.TryGetString(out var op) && op == handle) return true;
        if (handle == "true")
        {
            if (obj.TryGetValue("true_path", out var t) && t.TryGetBool(out var tb)) return tb;
            if (obj.TryGetValue("condition_met", out var c) && c.TryGetBool(out var cb)) return cb;
        }
        else if (handle == "false")
        {
            if (obj.TryGetValue("false_path", out var f) && f.TryGetBool(out var fb)) return fb;
            if (obj.TryGetValue("condition_met", out var c) && c.TryGetBool(out var cb)) return !cb;
        }
        return false;
    }
}
