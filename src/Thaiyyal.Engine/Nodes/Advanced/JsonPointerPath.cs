namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>JSON Pointer text (<c>/a/0</c>) as segments, resolved against <see cref="Value"/>s.</summary>
internal static class JsonPointerPath
{
    public static string[] Segments(string pointer)
    {
        if (pointer.Length == 0 || pointer == "/") return pointer.Length == 0 ? [] : [""];
        var parts = pointer.TrimStart('#').Split('/');
        var start = parts.Length > 0 && parts[0].Length == 0 ? 1 : 0;
        return [.. parts.Skip(start).Select(Unescape)];
    }

    /// <summary>One reference token unescaped: <c>~1</c> is <c>/</c>, then <c>~0</c> is <c>~</c>.</summary>
    public static string Unescape(string token) =>
        token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>One reference token escaped, the inverse of <see cref="Unescape"/>: <c>~</c> is <c>~0</c>, then <c>/</c> is <c>~1</c>.</summary>
    public static string Escape(string token) =>
        token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static bool TryResolve(Value root, IEnumerable<string> segments, out Value value)
    {
        value = root;
        foreach (var segment in segments)
        {
            if (value.TryGetObject(out var obj))
            {
                if (!obj.TryGetValue(segment, out value)) return false;
            }
            else if (value.TryGetArray(out var array) && int.TryParse(segment, out var index) && index >= 0 && index < array.Count)
            {
                value = array[index];
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The original's field name of a location: segments joined by dots, <c>(root)</c> for the document.</summary>
    public static string FieldName(IReadOnlyList<string> segments) => segments.Count == 0 ? "(root)" : string.Join('.', segments);
}
