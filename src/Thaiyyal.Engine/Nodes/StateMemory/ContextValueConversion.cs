namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary>The type conversions of context values (nodes.md <c>context_variable</c>), with the original's error texts.</summary>
internal static class ContextValueConversion
{
    /// <summary>Converts <paramref name="raw"/> to <paramref name="type"/>; returns the error text, or null on success.</summary>
    public static string? TryConvert(Value raw, string type, out Value value)
    {
        value = default;
        switch (type)
        {
            case "string":
                value = Compatibility.GoValueText.ToGoString(raw);
                return null;
            case "number":
                return ToNumber(raw, out value);
            case "boolean":
                return ToBoolean(raw, out value);
            case "time_string":
                var text = raw.TryGetString(out var s) ? s : Compatibility.GoValueText.ToGoString(raw);
                var problem = Compatibility.GoRfc3339Check.Check(text);
                if (problem is not null) return $"invalid time string \"{text}\": {problem}";
                value = text;
                return null;
            case "epoch_second":
                return ToTimestamp(raw, "epoch seconds", DateTimeOffset.FromUnixTimeSeconds, out value);
            case "epoch_ms":
                return ToTimestamp(raw, "epoch milliseconds", DateTimeOffset.FromUnixTimeMilliseconds, out value);
            case "null":
                return null;
            default:
                return $"unsupported type \"{type}\"";
        }
    }

    private static string? ToNumber(Value raw, out Value value)
    {
        value = raw;
        if (raw.IsNumber) return null;
        if (!raw.TryGetString(out var s)) return $"cannot convert type {raw.GoTypeName} to number";
        if (Compatibility.GoStrconv.TryParseFiniteFloat(s, out var n))
        {
            value = n;
            return null;
        }
        return $"cannot convert \"{s}\" to number: strconv.ParseFloat: parsing \"{s}\": "
            + (Compatibility.GoStrconv.TryParseFloat(s, out _) ? "not a finite number" : "invalid syntax");
    }

    private static string? ToBoolean(Value raw, out Value value)
    {
        value = raw;
        if (raw.IsBool) return null;
        if (raw.TryGetNumber(out var n))
        {
            value = n != 0;
            return null;
        }
        if (!raw.TryGetString(out var s)) return $"cannot convert type {raw.GoTypeName} to boolean";
        if (!Compatibility.GoStrconv.TryParseBool(s, out var b)) return $"cannot convert \"{s}\" to boolean: strconv.ParseBool: parsing \"{s}\": invalid syntax";
        value = b;
        return null;
    }

    private static string? ToTimestamp(Value raw, string unit, Func<long, DateTimeOffset> fromEpoch, out Value value)
    {
        value = default;
        long epoch;
        if (raw.TryGetNumber(out var n)) epoch = Compatibility.GoStrconv.Truncate(n);
        else if (raw.TryGetString(out var s))
        {
            if (!Compatibility.GoStrconv.TryParseInt(s, out epoch)) return $"cannot convert \"{s}\" to {unit}: strconv.ParseInt: parsing \"{s}\": invalid syntax";
        }
        else return $"cannot convert type {raw.GoTypeName} to {unit}";
        try
        {
            value = Value.From(fromEpoch(epoch));
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return $"{unit} out of range: {epoch}";
        }
    }
}
