using System.Text;

namespace Thaiyyal.Engine.Execution;

/// <summary>Size checks on stored values: string length, array length, nesting depth (workflow-format.md §12).</summary>
internal static class ValueLimits
{
    /// <summary>The first violated limit's message, or null when the value fits.</summary>
    public static string? Check(Value value, ExecutionLimits limits)
    {
        var error = CheckSizes(value, limits);
        if (error is not null) return error;
        if (limits.MaxContextDepth > 0)
        {
            var depth = Depth(value);
            if (depth > limits.MaxContextDepth) return $"value too deeply nested: {depth} levels (limit: {limits.MaxContextDepth})";
        }
        return null;
    }

    private static string? CheckSizes(Value value, ExecutionLimits limits)
    {
        if (value.TryGetString(out var s) && limits.MaxStringLength > 0)
        {
            var bytes = Encoding.UTF8.GetByteCount(s);
            if (bytes > limits.MaxStringLength) return $"string too long: {bytes} bytes (limit: {limits.MaxStringLength})";
        }
        if (value.TryGetArray(out var array))
        {
            if (limits.MaxArrayLength > 0 && array.Count > limits.MaxArrayLength)
                return $"array too large: {array.Count} elements (limit: {limits.MaxArrayLength})";
            for (var i = 0; i < array.Count; i++)
            {
                var inner = CheckSizes(array[i], limits);
                if (inner is not null) return $"array element {i}: {inner}";
            }
        }
        return null;
    }

    /// <summary>Depth as the spec counts it: scalars 1, null 0, empty containers 0, containers 1 + deepest child.</summary>
    public static int Depth(Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: return 0;
            case ValueKind.Array:
                {
                    var array = value.AsArray();
                    if (array.Count == 0) return 0;
                    var max = 0;
                    foreach (var item in array) max = Math.Max(max, Depth(item));
                    return 1 + max;
                }
            case ValueKind.Object:
                {
                    var obj = value.AsObject();
                    if (obj.Count == 0) return 0;
                    var max = 0;
                    foreach (var (_, item) in obj) max = Math.Max(max, Depth(item));
                    return 1 + max;
                }
            default: return 1;
        }
    }
}
