using System.Diagnostics.CodeAnalysis;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// One expression evaluated for each element of an array, as filter, map, reduce, find and partition do. One
/// evaluator serves every element: its scope moves on to the element in place, where building a scope and an
/// evaluator for each element copied about 200 bytes several times per element (docs/performance.md). Results and
/// errors are those of <see cref="ParsedExpression.TryEvaluateValue(in ExpressionScope, out Value, out ExpressionException?)"/>
/// with <see cref="ExpressionScope.ForElement"/> for each element.
/// </summary>
internal struct ElementLoop
{
    private readonly ParsedExpression _expression;
    private Evaluator _evaluator;

    /// <param name="expression">The expression to evaluate per element.</param>
    /// <param name="scope">
    /// What every element shares: <see cref="ExpressionScope.ForElement"/> of any element (each call replaces it),
    /// with <c>items</c> and <c>accumulator</c> bound when the node binds them.
    /// </param>
    public ElementLoop(ParsedExpression expression, in ExpressionScope scope)
    {
        _expression = expression;
        _evaluator = new Evaluator(expression.Text, scope);
    }

    /// <summary>The value for <paramref name="element"/> at <paramref name="index"/>.</summary>
    public bool TryValue(Value element, Value index, out Value value, [NotNullWhen(false)] out ExpressionException? error)
    {
        _evaluator.MoveToElement(element, index);
        return _expression.TryEvaluateValue(ref _evaluator, out value, out error);
    }

    /// <summary>The value for <paramref name="element"/> at <paramref name="index"/> with <c>accumulator</c> set.</summary>
    public bool TryValue(Value element, Value index, Value accumulator, out Value value, [NotNullWhen(false)] out ExpressionException? error)
    {
        _evaluator.SetAccumulator(accumulator);
        return TryValue(element, index, out value, out error);
    }

    /// <summary>The condition for <paramref name="element"/> at <paramref name="index"/>.</summary>
    public bool TryCondition(Value element, Value index, out bool result, [NotNullWhen(false)] out ExpressionException? error)
    {
        _evaluator.MoveToElement(element, index);
        return _expression.TryEvaluateBoolean(ref _evaluator, out result, out error);
    }
}
