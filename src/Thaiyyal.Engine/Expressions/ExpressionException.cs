namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// An expression could not be parsed or evaluated: a syntax error, an unknown function, a type error, a missing
/// field where a value was required. Carries the expression text, the 1-based column and the problem.
/// </summary>
public sealed class ExpressionException : Exception
{
    internal ExpressionException(string expression, int offset, string problem)
        : base(Format(expression, offset, problem))
    {
        Expression = expression;
        Column = Math.Clamp(offset, 0, expression.Length) + 1;
        Problem = problem;
    }

    /// <summary>The whole expression text.</summary>
    public string Expression { get; }

    /// <summary>1-based column of the problem in <see cref="Expression"/> (one past the end for "unexpected end").</summary>
    public int Column { get; }

    /// <summary>The problem alone, e.g. <c>unknown function: foo</c> or <c>field not found: age</c>.</summary>
    public string Problem { get; }

    private static string Format(string expression, int offset, string problem)
    {
        const int MaxQuoted = 200;
        var quoted = expression.Length <= MaxQuoted ? expression : string.Concat(expression.AsSpan(0, MaxQuoted), "…");
        return $"{problem} (in expression \"{quoted}\" at column {Math.Clamp(offset, 0, expression.Length) + 1})";
    }
}
