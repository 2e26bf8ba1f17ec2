using System.Collections.Concurrent;

namespace Thaiyyal.Engine.Expressions;

/// <summary>Size limits of expression text, checked while parsing (a value: the compiler makes one per workflow it binds).</summary>
internal readonly record struct ExpressionLimits
{
    public ExpressionLimits()
    {
    }

    /// <summary>Longest expression, in characters.</summary>
    public int MaxLength { get; init; } = 16 * 1024;

    /// <summary>Deepest nesting of parentheses, brackets, calls, prefixes and conditionals.</summary>
    public int MaxDepth { get; init; } = 64;

    public static ExpressionLimits Default { get; } = new();
}

/// <summary>
/// Entry point of the expression language (docs/expressions.md). Parse once, evaluate per item:
/// <code>
/// var expr = ExpressionEngine.Parse("item.price * item.qty &gt; 100");
/// bool big = expr.EvaluateBoolean(ExpressionScope.ForElement(element, index, ExpressionEnvironment.For(context)));
/// </code>
/// Parsed expressions are cached by text (bounded, thread-safe), so parsing the same text again is a lookup.
/// </summary>
public static class ExpressionEngine
{
    private const int CacheCapacity = 4096;
    private static readonly ConcurrentDictionary<string, ParsedExpression> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="text"/> with the default limits (cached).</summary>
    /// <exception cref="ExpressionException">The text is not a valid expression.</exception>
    public static ParsedExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Cache.TryGetValue(text, out var cached)) return cached;
        var parsed = new ParsedExpression(text, Parser.Parse(text, ExpressionLimits.Default));
        // A full cache is simply emptied: expressions come from workflow payloads, so the working set is small and
        // an attacker sending endless distinct texts only costs re-parsing.
        if (Cache.Count >= CacheCapacity) Cache.Clear();
        Cache.TryAdd(text, parsed);
        return parsed;
    }

    /// <summary>Parses with explicit limits (not cached).</summary>
    /// <exception cref="ExpressionException">The text is not a valid expression or exceeds the limits.</exception>
    internal static ParsedExpression Parse(string text, ExpressionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        return limits == ExpressionLimits.Default ? Parse(text) : new ParsedExpression(text, Parser.Parse(text, limits));
    }

    /// <summary>
    /// Parses, keeping a syntax error inside the result instead of throwing: evaluating it throws that error. Node
    /// types bind their expressions with this so that a bad expression fails when (and where) the node runs.
    /// </summary>
    public static ParsedExpression ParseOrError(string text) => ParseOrError(text, ExpressionLimits.Default);

    /// <summary><see cref="ParseOrError(string)"/> under explicit limits: a breach is kept as the result's error too.</summary>
    internal static ParsedExpression ParseOrError(string text, ExpressionLimits limits)
    {
        try
        {
            return Parse(text, limits);
        }
        catch (ExpressionException e)
        {
            return new ParsedExpression(text, e);
        }
    }
}
