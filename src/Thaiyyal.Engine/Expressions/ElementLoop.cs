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
    /// <param name="environment">Variables, node results, context and limits of the run.</param>
    /// <param name="items">The whole array as <c>items</c>, for nodes that bind it.</param>
    /// <param name="accumulator">The first <c>accumulator</c>, for nodes that bind it (reduce).</param>
    public ElementLoop(ParsedExpression expression, ExpressionEnvironment environment, Value? items = null, Value? accumulator = null)
    {
        var scope = ExpressionScope.ForElement(default, default, environment);
        if (items is { } array) scope = scope.WithItems(array);
        if (accumulator is { } first) scope = scope.WithAccumulator(first);
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
