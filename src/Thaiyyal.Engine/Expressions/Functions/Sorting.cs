namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>
/// <c>sort()</c>'s order: numerically when both values are numeric (numeric strings too), else ordinally when both are
/// strings, else by generic text. The original's exchange sort (swap i and j whenever a[i] &gt; a[j]) decides where
/// equal-ranking but different values (<c>10</c> and <c>"10"</c>) end up, so mixed arrays use it; plain numbers and
/// plain non-numeric strings, whose equal elements are indistinguishable, take a fast sort with the same result.
/// </summary>
internal static class Sorting
{
    public static Value[] Sort(ref Evaluator ev, ValueArray array)
    {
        var items = array.AsSpan().ToArray();
        if (TrySortNumbers(items) || TrySortStrings(items)) return items;
        for (var i = 0; i < items.Length; i++)
        {
            Limits.CheckCancelled(ref ev, i);
            for (var j = i + 1; j < items.Length; j++)
            {
                if (Greater(items[i], items[j])) (items[i], items[j]) = (items[j], items[i]);
            }
        }
        return items;
    }

    /// <summary>The comparison <c>sort()</c> uses: is <paramref name="a"/> ranked after <paramref name="b"/>?</summary>
    public static bool Greater(Value a, Value b)
    {
        if (ValueSemantics.TryToNumber(a, out var x) && ValueSemantics.TryToNumber(b, out var y)) return x > y;
        if (a.TryGetString(out var s) && b.TryGetString(out var t)) return string.CompareOrdinal(s, t) > 0;
        return string.CompareOrdinal(Compatibility.GoValueText.ToGoString(a), Compatibility.GoValueText.ToGoString(b)) > 0;
    }

    private static bool TrySortNumbers(Value[] items)
    {
        var keys = new double[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!items[i].TryGetNumber(out var x) || double.IsNaN(x)) return false;
            keys[i] = x;
        }
        Array.Sort(keys);
        for (var i = 0; i < items.Length; i++) items[i] = Value.From(keys[i]);
        return true;
    }

    private static bool TrySortStrings(Value[] items)
    {
        var keys = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!items[i].TryGetString(out var s) || Compatibility.GoFloatParser.TryParse(s, out _)) return false;
            keys[i] = s;
        }
        Array.Sort(keys, StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++) items[i] = Value.From(keys[i]);
        return true;
    }
}
