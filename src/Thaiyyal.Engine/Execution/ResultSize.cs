using System.Text;

namespace Thaiyyal.Engine.Execution;

/// <summary>
/// Measures a node's result as it is produced: an estimate of its JSON size for <see cref="ExecutionLimits.MaxResultBytes"/>
/// and, for producers that build values from outside data (parse, HTTP bodies), the array and string limits at every
/// level. The walk stops as soon as the estimate passes the budget left, so a result built from shared parts (layers
/// of <c>parallel</c> nodes) costs at most the budget to measure, never its exponential expanded size.
/// </summary>
internal static class ResultSize
{
    private static readonly ExecutionLimits NoSizeLimits = ExecutionLimits.Default with { MaxArrayLength = 0, MaxStringLength = 0 };

    /// <summary>The estimated JSON size of <paramref name="value"/>, or any number above <paramref name="budget"/> once it passes it.</summary>
    public static long Measure(Value value, long budget, ExecutionLimits limits) => Walk(value, budget, limits, checkSizes: false);

    /// <summary>Throws <see cref="ExecutionLimitException"/> when an array or string anywhere in <paramref name="value"/> is over its limit.</summary>
    public static void CheckSizes(Value value, ExecutionLimits limits) => Walk(value, long.MaxValue, limits, checkSizes: true);

    private static long Walk(Value value, long budget, ExecutionLimits limits, bool checkSizes)
    {
        var walker = new Walker(budget, checkSizes ? limits : NoSizeLimits);
        walker.Visit(value);
        return walker.Total;
    }

    private sealed class Walker(long budget, ExecutionLimits limits)
    {
        public long Total;

        /// <summary>The estimate for any number.</summary>
        private const int NumberSize = 8;

        private bool Over => Total > budget;

        public void Visit(Value value)
        {
            switch (value.Kind)
            {
                case ValueKind.Null: Total += 4; return;
                case ValueKind.Bool: Total += 5; return;
                case ValueKind.Number:
                case ValueKind.Integer: Total += NumberSize; return;
                case ValueKind.String: Total += StringBytes(value.AsString()) + 2; return;
                case ValueKind.Array:
                    {
                        var array = value.AsArray();
                        if (limits.MaxArrayLength > 0 && array.Count > limits.MaxArrayLength)
                            throw new ExecutionLimitException("array_length", $"array too large: {array.Count} elements (limit: {limits.MaxArrayLength})");
                        Total += 2;
                        foreach (ref readonly var item in array.AsSpan())
                        {
                            // Numbers, the most common elements, are counted here rather than through a call each.
                            if (item.IsNumber) Total += 1 + NumberSize;
                            else
                            {
                                Total += 1;
                                Visit(item);
                            }
                            if (Over) return;
                        }
                        return;
                    }
                case ValueKind.Object:
                    {
                        Total += 2;
                        foreach (var (key, item) in value.AsObject())
                        {
                            Total += key.Length + 4;
                            Visit(item);
                            if (Over) return;
                        }
                        return;
                    }
                default: Total += 32; return;
            }
        }

        private long StringBytes(string s)
        {
            var max = limits.MaxStringLength;
            // A string never has fewer UTF-8 bytes than chars nor more than three per char, so most need no count.
            if (max > 0 && (s.Length > max || (long)s.Length * 3 > max))
            {
                var bytes = Encoding.UTF8.GetByteCount(s);
                if (bytes > max) throw new ExecutionLimitException("string_length", $"string too long: {bytes} bytes (limit: {max})");
                return bytes;
            }
            return s.Length;
        }
    }
}
