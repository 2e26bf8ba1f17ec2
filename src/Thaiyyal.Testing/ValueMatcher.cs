using System.Globalization;
using System.Text;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Testing;

/// <summary>One place where a result differs from the expectation.</summary>
/// <param name="Path">Where inside the value, as <c>$.items[1].price</c>.</param>
public sealed record Mismatch(string Path, string Expected, string Actual);

/// <summary>
/// Compares an expected value with an actual one. Objects match partially (every expected key must match,
/// extra actual keys are fine); arrays match element by element with equal lengths; numbers by value
/// (<c>55</c> matches <c>55.0</c>); a timestamp matches its RFC 3339 text.
/// </summary>
public static class ValueMatcher
{
    public static IReadOnlyList<Mismatch> Compare(Value expected, Value actual)
    {
        var mismatches = new List<Mismatch>();
        Compare(expected, actual, "$", mismatches);
        return mismatches;
    }

    private static void Compare(Value expected, Value actual, string path, List<Mismatch> mismatches)
    {
        if (expected.TryGetObject(out var expectedObject))
        {
            if (!actual.TryGetObject(out var actualObject))
            {
                mismatches.Add(new Mismatch(path, Show(expected), Show(actual)));
                return;
            }
            foreach (var (key, value) in expectedObject)
            {
                var child = $"{path}.{key}";
                if (actualObject.TryGetValue(key, out var actualValue)) Compare(value, actualValue, child, mismatches);
                else mismatches.Add(new Mismatch(child, Show(value), "(missing)"));
            }
            return;
        }
        if (expected.TryGetArray(out var expectedArray))
        {
            if (!actual.TryGetArray(out var actualArray) || actualArray.Count != expectedArray.Count)
            {
                mismatches.Add(new Mismatch(path, Show(expected), Show(actual)));
                return;
            }
            for (var i = 0; i < expectedArray.Count; i++) Compare(expectedArray[i], actualArray[i], $"{path}[{i}]", mismatches);
            return;
        }
        if (!ScalarEquals(expected, actual)) mismatches.Add(new Mismatch(path, Show(expected), Show(actual)));
    }

    private static bool ScalarEquals(Value expected, Value actual)
    {
        if (expected.TryGetNumber(out var e) && actual.TryGetNumber(out var a)) return e.Equals(a);
        if (actual.Kind == ValueKind.Timestamp && expected.TryGetString(out var text))
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time == actual.AsTimestamp();
        return expected.Equals(actual);
    }

    /// <summary>A value as one line of JSON (long values shortened).</summary>
    public static string Show(Value value)
    {
        var text = ValueJson.Serialize(value);
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 197), "...");
    }

    /// <summary>The readable diff of a failed expectation: each differing place with the expected and the actual value.</summary>
    public static string Describe(IReadOnlyList<Mismatch> mismatches)
    {
        var text = new StringBuilder();
        foreach (var m in mismatches)
        {
            text.Append("  at ").Append(m.Path).Append('\n');
            text.Append("    - expected: ").Append(m.Expected).Append('\n');
            text.Append("    + actual:   ").Append(m.Actual).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }
}
