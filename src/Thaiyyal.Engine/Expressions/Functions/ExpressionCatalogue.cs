namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>One function or method as the editor's completion shows it.</summary>
/// <param name="Name">The name as written in an expression.</param>
/// <param name="Signature">How it is called, e.g. <c>slice(array, start, end?)</c> or <c>.split(separator)</c>.</param>
/// <param name="Description">One sentence.</param>
public sealed record ExpressionCallable(string Name, string Signature, string Description);

/// <summary>
/// The functions and methods of the expression language for tools (the editor's completion), listed from the
/// function table itself so a function added there shows up here; signatures and descriptions are kept beside it.
/// </summary>
public static class ExpressionCatalogue
{
    // Declared before the lists below: static fields initialise in text order.
    private static readonly Dictionary<string, (string, string)> FunctionHelp = new(StringComparer.Ordinal)
    {
        ["abs"] = ("abs(x)", "Absolute value; element-wise on an array."),
        ["avg"] = ("avg(array) | avg(a, b, …)", "Mean of an array's numbers or of the arguments."),
        ["ceil"] = ("ceil(x)", "Rounds up; element-wise on an array."),
        ["coalesce"] = ("coalesce(a, b, …)", "The first argument that is not null, else null."),
        ["contains"] = ("contains(haystack, needle)", "True when the text of the first contains the text of the second."),
        ["dateAdd"] = ("dateAdd(date, seconds)", "The date plus whole seconds."),
        ["dateDiff"] = ("dateDiff(a, b)", "a minus b in seconds."),
        ["day"] = ("day(date)", "Day of the month."),
        ["flatten"] = ("flatten(array)", "Nested arrays flattened at every depth."),
        ["floor"] = ("floor(x)", "Rounds down; element-wise on an array."),
        ["fromEpoch"] = ("fromEpoch(seconds)", "Timestamp from Unix seconds."),
        ["fromEpochMillis"] = ("fromEpochMillis(ms)", "Timestamp from Unix milliseconds."),
        ["hour"] = ("hour(date)", "Hour of the day (0–23)."),
        ["isNull"] = ("isNull(x)", "True when the value is null or missing."),
        ["map"] = ("map(array, expression)", "Evaluates the expression for each element (bound as input)."),
        ["max"] = ("max(array) | max(a, b, …)", "Largest number."),
        ["min"] = ("min(array) | min(a, b, …)", "Smallest number."),
        ["minute"] = ("minute(date)", "Minute of the hour."),
        ["month"] = ("month(date)", "Month (1–12)."),
        ["now"] = ("now()", "The current timestamp."),
        ["parseDate"] = ("parseDate(text)", "Timestamp from a date or date-time text."),
        ["pow"] = ("pow(base, exponent)", "base raised to exponent."),
        ["reverse"] = ("reverse(array)", "Reversed copy."),
        ["round"] = ("round(x)", "Rounds half away from zero; element-wise on an array."),
        ["sample"] = ("sample(array, n)", "n elements picked deterministically."),
        ["slice"] = ("slice(array, start, end?)", "Part of an array; negative positions count from the end."),
        ["sort"] = ("sort(array)", "Ascending copy."),
        ["sqrt"] = ("sqrt(x)", "Square root."),
        ["sum"] = ("sum(array) | sum(a, b, …)", "Sum of an array's numbers or of the arguments."),
        ["toEpoch"] = ("toEpoch(date)", "Unix seconds."),
        ["toEpochMillis"] = ("toEpochMillis(date)", "Unix milliseconds."),
        ["unique"] = ("unique(array)", "First occurrence of each distinct value."),
        ["year"] = ("year(date)", "Year."),
        ["zip"] = ("zip(a1, a2, …)", "Tuples of the arrays' elements, up to the longest."),
    };

    private static readonly Dictionary<string, (string, string)> MethodHelp = new(StringComparer.Ordinal)
    {
        ["toUpperCase"] = (".toUpperCase()", "Text in upper case."),
        ["toLowerCase"] = (".toLowerCase()", "Text in lower case."),
        ["trim"] = (".trim()", "Text without leading and trailing whitespace."),
        ["includes"] = (".includes(x)", "Substring test on text; element test on an array."),
        ["startsWith"] = (".startsWith(prefix)", "True when the text starts with prefix."),
        ["endsWith"] = (".endsWith(suffix)", "True when the text ends with suffix."),
        ["replace"] = (".replace(old, new)", "Every occurrence of old replaced by new."),
        ["split"] = (".split(separator)", "Array of the parts of the text."),
        ["join"] = (".join(separator)", "The array's elements joined into text."),
        ["reverse"] = (".reverse()", "Reversed copy of the array."),
        ["first"] = (".first()", "First element, null when empty."),
        ["last"] = (".last()", "Last element, null when empty."),
    };

    /// <summary>Every global function, sorted by name.</summary>
    public static IReadOnlyList<ExpressionCallable> Functions { get; } =
        [.. FunctionTable.All.Select(f => Describe(f.Name, FunctionHelp, f.Name + "(…)")).OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>Every method, sorted by name.</summary>
    public static IReadOnlyList<ExpressionCallable> Methods { get; } =
        [.. global::Thaiyyal.Engine.Expressions.Functions.Methods.All
            .Select(m => Describe(m.Name, MethodHelp, "." + m.Name + (m.ArgumentCount == 0 ? "()" : "(…)")))
            .OrderBy(m => m.Name, StringComparer.Ordinal)];

    private static ExpressionCallable Describe(string name, Dictionary<string, (string Signature, string Description)> help, string fallback) =>
        help.TryGetValue(name, out var h) ? new(name, h.Signature, h.Description) : new(name, fallback, "");
}
