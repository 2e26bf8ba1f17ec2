using System.Globalization;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>
/// Which texts the original engine accepted as numbers, booleans and integers (Go's <c>strconv</c>),
/// so that parse, CSV cells and context values convert exactly the same strings.
/// </summary>
internal static class GoStrconv
{
    /// <summary><c>strconv.ParseFloat(s, 64)</c>, including <c>Inf</c>/<c>NaN</c>; out-of-range values fail, as in Go.</summary>
    public static bool TryParseFloat(string text, out double value) => GoFloatParser.TryParse(text, out value);

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
}
