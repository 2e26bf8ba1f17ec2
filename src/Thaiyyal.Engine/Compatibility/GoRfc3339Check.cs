namespace Thaiyyal.Engine.Compatibility;

/// <summary>
/// Checks text against Go's <c>time.Parse(time.RFC3339, s)</c> and gives Go's error text, element by
/// element of the layout <c>2006-01-02T15:04:05Z07:00</c> (e.g. <c>cannot parse "" as "T"</c>).
/// </summary>
internal static class GoRfc3339Check
{
    private const string Layout = "2006-01-02T15:04:05Z07:00";

    /// <summary>Null when <paramref name="text"/> is a valid RFC 3339 time, else the parser's error.</summary>
    public static string? Check(string text)
    {
        var rest = text.AsSpan();
        string Fail(ReadOnlySpan<char> value, string element) => $"parsing time \"{text}\" as \"{Layout}\": cannot parse \"{value}\" as \"{element}\"";
        string Range(string what) => $"parsing time \"{text}\": {what} out of range";

        if (!Digits(ref rest, 4, 4, out var year)) return Fail(rest, "2006");
        if (!Literal(ref rest, '-')) return Fail(rest, "-");
        if (!Digits(ref rest, 2, 2, out var month)) return Fail(rest, "01");
        if (!Literal(ref rest, '-')) return Fail(rest, "-");
        if (!Digits(ref rest, 2, 2, out var day)) return Fail(rest, "02");
        if (!Literal(ref rest, 'T')) return Fail(rest, "T");
        if (!Digits(ref rest, 1, 2, out var hour)) return Fail(rest, "15");
        if (!Literal(ref rest, ':')) return Fail(rest, ":");
        if (!Digits(ref rest, 2, 2, out var minute)) return Fail(rest, "04");
        if (!Literal(ref rest, ':')) return Fail(rest, ":");
        if (!Digits(ref rest, 2, 2, out var second)) return Fail(rest, "05");
        if (rest.Length >= 2 && rest[0] is '.' or ',' && char.IsAsciiDigit(rest[1]))
        {
            rest = rest[1..];
            while (rest.Length > 0 && char.IsAsciiDigit(rest[0])) rest = rest[1..];
        }
        if (rest.Length > 0 && rest[0] == 'Z')
        {
            rest = rest[1..];
        }
        else
        {
            var zone = rest;
            if (zone.Length < 6 || zone[0] is not ('+' or '-') || zone[3] != ':'
                || !char.IsAsciiDigit(zone[1]) || !char.IsAsciiDigit(zone[2]) || !char.IsAsciiDigit(zone[4]) || !char.IsAsciiDigit(zone[5]))
                return Fail(rest, "Z07:00");
            rest = rest[6..];
        }
        if (rest.Length > 0) return $"parsing time \"{text}\": extra text: \"{rest}\"";
        if (month is < 1 or > 12) return Range("month");
        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)) return Range("day");
        if (hour > 23) return Range("hour");
        if (minute > 59) return Range("minute");
        if (second > 59) return Range("second");
        return null;
    }

    private static bool Literal(ref ReadOnlySpan<char> rest, char c)
    {
        if (rest.Length == 0 || rest[0] != c) return false;
        rest = rest[1..];
        return true;
    }

    private static bool Digits(ref ReadOnlySpan<char> rest, int min, int max, out int value)
    {
        value = 0;
        var n = 0;
        while (n < max && n < rest.Length && char.IsAsciiDigit(rest[n])) value = value * 10 + (rest[n++] - '0');
        if (n < min) return false;
        rest = rest[n..];
        return true;
    }
}
