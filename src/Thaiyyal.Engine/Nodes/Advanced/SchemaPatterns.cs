using System.Text.RegularExpressions;

namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>
/// The regular expressions of a schema (<c>pattern</c> values and <c>patternProperties</c> names), tried against every
/// string and property name of the input with an explicit match timeout before JsonSchema.Net evaluates it.
/// JsonSchema.Net builds its own regexes without a timeout (they take the process default, which a host has to set
/// before any regex exists: <see cref="RegexMatchTimeout.Install"/>), so this screen is what bounds a payload's
/// pattern in every host: a pattern that backtracks past the timeout on some input string fails the node, and
/// pairs that pass finish as fast in the library's own match. Between matches the run's token is checked, so a
/// run past its deadline stops after at most one match timeout.
/// </summary>
internal sealed class SchemaPatterns
{
    private readonly Regex[] _patterns;

    private SchemaPatterns(Regex[] patterns) => _patterns = patterns;

    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>Every pattern of <paramref name="schema"/> that .NET can compile (the others fail in the library).</summary>
    public static SchemaPatterns Collect(Value schema)
    {
        var found = new List<Regex>();
        Walk(schema, found);
        return new([.. found]);
    }

    private static void Walk(Value schema, List<Regex> found)
    {
        if (schema.Kind == ValueKind.Array)
        {
            foreach (var item in schema.AsArray()) Walk(item, found);
            return;
        }
        if (schema.Kind != ValueKind.Object) return;
        foreach (var (key, value) in schema.AsObject())
        {
            if (key == "pattern" && value.TryGetString(out var pattern)) Add(pattern, found);
            if (key == "patternProperties" && value.Kind == ValueKind.Object)
            {
                foreach (var name in value.AsObject().Keys) Add(name, found);
            }
            Walk(value, found);
        }
    }

    private static void Add(string pattern, List<Regex> found)
    {
        try
        {
            found.Add(new Regex(pattern, RegexOptions.CultureInvariant, RegexMatchTimeout.Limit));
        }
        catch (ArgumentException)
        {
            // An invalid pattern is reported by the library when it builds or evaluates the schema.
        }
    }

    /// <summary>Matches every pattern against every string and property name of <paramref name="instance"/>.</summary>
    public void Screen(Value instance, CancellationToken token)
    {
        if (_patterns.Length == 0) return;
        switch (instance.Kind)
        {
            case ValueKind.String:
                Match(instance.AsString(), token);
                return;
            case ValueKind.Array:
                foreach (var item in instance.AsArray()) Screen(item, token);
                return;
            case ValueKind.Object:
                foreach (var (key, value) in instance.AsObject())
                {
                    Match(key, token);
                    Screen(value, token);
                }
                return;
        }
    }

    private void Match(string text, CancellationToken token)
    {
        foreach (var pattern in _patterns)
        {
            token.ThrowIfCancellationRequested();
            try
            {
                pattern.IsMatch(text);
            }
            catch (RegexMatchTimeoutException ex)
            {
                throw TimedOut(ex);
            }
        }
    }

    public static NodeExecutionException TimedOut(RegexMatchTimeoutException ex) =>
        new($"schema validation failed: regex match timeout: pattern {ex.Pattern} ran longer than {Compatibility.GoDuration.Format(ex.MatchTimeout)}");
}
