namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// The original's legacy numeric condition (expressions.md §7.4): <c>true</c>, <c>false</c>, or an operator
/// (<c>&gt;= &lt;= == != &gt; &lt;</c>) followed by a number, tested against a number or an object's numeric
/// <c>value</c>. Never fails: anything else is false. <c>while_loop</c> conditions in payloads from the original
/// use exactly this language.
/// </summary>
internal static class LegacyCondition
{
    public static bool Evaluate(string condition, Value value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition == "true") return true;
        if (condition == "false") return false;
        double number;
        if (value.TryGetNumber(out var n))
        {
            number = n;
        }
        else if (value.TryGetObject(out var obj) && obj.TryGetValue("value", out var inner) && inner.TryGetNumber(out var innerNumber))
        {
            number = innerNumber;
        }
        else
        {
            return false;
        }
        string op;
        if (condition.Length >= 2 && condition[..2] is ">=" or "<=" or "==" or "!=") op = condition[..2];
        else if (condition.Length >= 1 && condition[0] is '>' or '<') op = condition[..1];
        else return false;
        var threshold = LeadingNumber(condition.AsSpan(op.Length).TrimStart(' '));
        return op switch
        {
            ">=" => number >= threshold,
            "<=" => number <= threshold,
            "==" => number == threshold,
            "!=" => number != threshold,
            ">" => number > threshold,
            _ => number < threshold,
        };
    }

    /// <summary>The longest prefix that reads as a number; 0 when there is none (<c>"&gt;abc"</c> behaves as <c>&gt;0</c>).</summary>
    private static double LeadingNumber(ReadOnlySpan<char> text)
    {
        for (var length = Math.Min(text.Length, 64); length > 0; length--)
        {
            var prefix = text[..length];
            if (Compatibility.GoFloatParser.TryParse(prefix, out var value)) return value;
        }
        return 0;
    }
}
