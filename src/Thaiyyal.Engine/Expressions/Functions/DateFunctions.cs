using System.Globalization;

namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>
/// Date and time functions (expressions.md §7.2). In the original they were reachable only as whole conditions;
/// here they are ordinary functions usable anywhere (<c>year(item.date) == 2024</c>).
/// </summary>
internal static class DateFunctions
{
    // Layouts tried in order for strings (zone-less forms are UTC; zone names in RFC 822/1123 count as UTC).
    private static readonly string[] NamedZoneLayouts =
    [
        "dd MMM yy HH:mm",            // RFC 822 without the zone
        "ddd, dd MMM yyyy HH:mm:ss",  // RFC 1123 without the zone
    ];

    private static readonly string[] ZonelessLayouts = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"];

    public static IEnumerable<FunctionDefinition> Definitions =>
    [
        new("now", n => n == 0 ? null : $"now() takes no arguments, got {n}", (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> _) =>
            Value.From(ev.Environment.TimeProvider.GetUtcNow())),
        new("parseDate", FunctionDefinition.Exactly("parseDate", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(ToTime(ref ev, call, args[0]))),
        new("toEpoch", FunctionDefinition.Exactly("toEpoch", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(ToTime(ref ev, call, args[0]).ToUnixTimeSeconds())),
        new("toEpochMillis", FunctionDefinition.Exactly("toEpochMillis", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(ToTime(ref ev, call, args[0]).ToUnixTimeMilliseconds())),
        new("fromEpoch", FunctionDefinition.Exactly("fromEpoch", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(FromUnix(ref ev, call, args[0], 1000))),
        new("fromEpochMillis", FunctionDefinition.Exactly("fromEpochMillis", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(FromUnix(ref ev, call, args[0], 1))),
        new("dateDiff", FunctionDefinition.Exactly("dateDiff", 2), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From((ToTime(ref ev, call, args[0]) - ToTime(ref ev, call, args[1])).TotalSeconds)),
        new("dateAdd", FunctionDefinition.Exactly("dateAdd", 2), DateAdd),
        new("year", FunctionDefinition.Exactly("year", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Value.From(ToTime(ref ev, call, args[0]).Year)),
        new("month", FunctionDefinition.Exactly("month", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Value.From(ToTime(ref ev, call, args[0]).Month)),
        new("day", FunctionDefinition.Exactly("day", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Value.From(ToTime(ref ev, call, args[0]).Day)),
        new("hour", FunctionDefinition.Exactly("hour", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Value.From(ToTime(ref ev, call, args[0]).Hour)),
        new("minute", FunctionDefinition.Exactly("minute", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Value.From(ToTime(ref ev, call, args[0]).Minute)),
    ];

    private static Value DateAdd(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args)
    {
        var time = ToTime(ref ev, call, args[0]);
        if (!args[1].TryGetNumber(out var seconds)) throw ev.Error(call, "dateAdd() second argument must be numeric");
        return Value.From(AddSeconds(ref ev, call, time, Math.Truncate(seconds)));
    }

    private static DateTimeOffset FromUnix(ref Evaluator ev, CallNode call, Value value, long millisPerUnit)
    {
        if (!value.TryGetNumber(out var number)) throw ev.Error(call, $"{call.Function.Name}() requires numeric argument");
        return AddSeconds(ref ev, call, DateTimeOffset.UnixEpoch, Math.Truncate(number) * millisPerUnit / 1000.0);
    }

    private static DateTimeOffset AddSeconds(ref Evaluator ev, CallNode call, DateTimeOffset time, double seconds)
    {
        try
        {
            return time.AddTicks(checked((long)(seconds * TimeSpan.TicksPerSecond)));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw ev.Error(call, $"{call.Function.Name}() result is out of the supported date range");
        }
    }

    /// <summary>A date argument: a timestamp, a date string, or Unix seconds.</summary>
    public static DateTimeOffset ToTime(ref Evaluator ev, CallNode call, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Timestamp:
                return value.AsTimestamp();
            case ValueKind.String:
                return TryParse(value.AsString(), out var parsed) ? parsed : throw ev.Error(call, $"unable to parse date/time: {value.AsString()}");
            case ValueKind.Number:
            case ValueKind.Integer:
                return AddSeconds(ref ev, call, DateTimeOffset.UnixEpoch, Math.Truncate(value.AsNumber()));
            default:
                throw ev.Error(call, $"unsupported date/time type: {value.GoTypeName}");
        }
    }

    /// <summary>RFC 3339 (with or without fraction), RFC 822, RFC 1123, then the zone-less ISO forms.</summary>
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        if (TryParseRfc3339(text, out time)) return true;
        var lastSpace = text.LastIndexOf(' ');
        if (lastSpace > 0 && IsZoneName(text.AsSpan(lastSpace + 1)))
        {
            var withoutZone = text[..lastSpace];
            foreach (var layout in NamedZoneLayouts)
            {
                if (DateTime.TryParseExact(withoutZone, layout, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
                {
                    time = new DateTimeOffset(dt, TimeSpan.Zero);
                    return true;
                }
            }
        }
        foreach (var layout in ZonelessLayouts)
        {
            if (DateTime.TryParseExact(text, layout, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
            {
                time = new DateTimeOffset(dt, TimeSpan.Zero);
                return true;
            }
        }
        time = default;
        return false;
    }

    private static bool IsZoneName(ReadOnlySpan<char> zone)
    {
        if (zone.Length is < 1 or > 5) return false;
        foreach (var c in zone)
        {
            if (!char.IsAsciiLetterUpper(c)) return false;
        }
        return true;
    }

    /// <summary><c>2024-01-15T10:30:00Z</c>, <c>2024-01-15T10:30:00.123456789+01:00</c>.</summary>
    private static bool TryParseRfc3339(string s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
            return false;
        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var digits = 0;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                fractionTicks += (s[i] - '0') * scale;
                digits++;
                i++;
            }
            if (digits == 0) return false;
        }
        TimeSpan offset;
        if (i < s.Length && s[i] == 'Z' && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if (i + 6 == s.Length && s[i] is '+' or '-' && s[i + 3] == ':' && TryDigits(s, i + 1, 2, out var oh) && TryDigits(s, i + 4, 2, out var om))
        {
            if (oh > 23 || om > 59) return false;
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-') offset = -offset;
        }
        else
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
            return false;
        try
        {
            time = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool TryDigits(string s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = (value * 10) + (s[i] - '0');
        }
        return true;
    }
}
