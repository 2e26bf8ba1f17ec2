using System.Globalization;

namespace Thaiyyal.Engine.Nodes;

/// <summary>
/// Which texts the original engine accepted as numbers, booleans and integers (Go's <c>strconv</c>),
/// so that parse, CSV cells and context values convert exactly the same strings.
/// </summary>
internal static class GoStrconv
{
    /// <summary>
    /// <c>strconv.ParseFloat(s, 64)</c>: optional sign, digits with an optional point, optional exponent;
    /// <c>inf</c>, <c>infinity</c> and <c>nan</c> in any case. Out-of-range values fail, as in Go.
    /// </summary>
    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        if (text.Length == 0) return false;
        var body = text.AsSpan();
        var sign = 1.0;
        if (body[0] is '+' or '-')
        {
            if (body[0] == '-') sign = -1;
            body = body[1..];
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            if (text.Length != body.Length) return false;
            value = double.NaN;
            return true;
        }
        if (!IsDecimalFloat(body)) return false;
        value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return !double.IsInfinity(value);
    }

    /// <summary>A finite number, or false (NaN and infinities are never produced from text).</summary>
    public static bool TryParseFiniteFloat(string text, out double value) => TryParseFloat(text, out value) && double.IsFinite(value);

    /// <summary><c>strconv.ParseBool</c>: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary><c>strconv.ParseInt(s, 10, 64)</c>: optional sign and decimal digits only.</summary>
    public static bool TryParseInt(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Truncates toward zero into a long, saturating; NaN gives 0 (Go's int conversion of a float).</summary>
    public static long Truncate(double number)
    {
        if (double.IsNaN(number)) return 0;
        if (number >= long.MaxValue) return long.MaxValue;
        if (number <= long.MinValue) return long.MinValue;
        return (long)number;
    }

    private static bool IsDecimalFloat(ReadOnlySpan<char> s)
    {
        var i = 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == s.Length;
    }
}
