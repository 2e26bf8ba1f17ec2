namespace Thaiyyal.Engine.Expressions;

/// <summary>Numeric coercion, equality and ordering of expression values (expressions.md §5.4, §8).</summary>
internal static class ValueSemantics
{
    /// <summary>Numbers are themselves; strings that read as numbers (<see cref="Compatibility.GoFloatParser"/>) are that number; nothing else is numeric.</summary>
    public static bool TryToNumber(Value value, out double number)
    {
        if (value.TryGetNumber(out number)) return true;
        if (value.TryGetString(out var text)) return Compatibility.GoFloatParser.TryParse(text, out number);
        number = 0;
        return false;
    }

    /// <summary>
    /// <c>==</c>: null equals only null; timestamps by instant; two numeric values (numeric strings included) by number
    /// (NaN ≠ NaN); strings ordinally; booleans by value; anything else (arrays, objects, mixed kinds) is not equal.
    /// </summary>
    public static bool AreEqual(Value left, Value right)
    {
        if (left.IsNull || right.IsNull) return left.IsNull && right.IsNull;
        if (left.Kind == ValueKind.Timestamp && right.Kind == ValueKind.Timestamp) return left.AsTimestamp() == right.AsTimestamp();
        if (TryToNumber(left, out var a) && TryToNumber(right, out var b)) return a == b;
        if (left.TryGetString(out var s1) && right.TryGetString(out var s2)) return string.Equals(s1, s2, StringComparison.Ordinal);
        if (left.TryGetBool(out var b1) && right.TryGetBool(out var b2)) return b1 == b2;
        return false;
    }

    /// <summary>
    /// Ordering: timestamps chronologically, otherwise both sides must be numeric (numeric strings included);
    /// anything else is false for every operator (strings are not ordered).
    /// </summary>
    internal static bool Compare(ComparisonOperator op, Value left, Value right)
    {
        switch (op)
        {
            case ComparisonOperator.Equal: return AreEqual(left, right);
            case ComparisonOperator.NotEqual: return !AreEqual(left, right);
        }
        int order;
        if (left.Kind == ValueKind.Timestamp && right.Kind == ValueKind.Timestamp)
        {
            order = left.AsTimestamp().CompareTo(right.AsTimestamp());
        }
        else if (TryToNumber(left, out var a) && TryToNumber(right, out var b))
        {
            return op switch
            {
                ComparisonOperator.Less => a < b,
                ComparisonOperator.LessOrEqual => a <= b,
                ComparisonOperator.Greater => a > b,
                _ => a >= b,
            };
        }
        else
        {
            return false;
        }
        return op switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }
}
