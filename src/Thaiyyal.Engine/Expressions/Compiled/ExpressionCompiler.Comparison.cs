namespace Thaiyyal.Engine.Expressions.Compiled;

internal static partial class ExpressionCompiler
{
    /// <summary>
    /// <c>a op b</c> and the shorthand <c>op b</c>. Both sides are always evaluated, left first, as the interpreter
    /// does. A literal number or a literal text that is not numeric on the right (<c>x &gt; 100</c>,
    /// <c>status == "paid"</c>) gets a comparison that skips what <see cref="ValueSemantics.Compare"/> would decide
    /// the same way for any left value: the outcome is the same, only the work is less.
    /// </summary>
    private static ConditionCode Comparison(ComparisonNode node)
    {
        var op = node.Operator;
        if (node.Right is LiteralNode { Value.Kind: ValueKind.Number } number && node.Left is ArithmeticNode or UnaryNode)
        {
            // An arithmetic left side is always a number when present: compare its double without a Value between.
            return NumberAgainstNumber(op, CompileNumber(node.Left), number.Value.AsNumber());
        }
        var left = node.Left is null
            ? static (ref Evaluator ev, out Value value) =>
            {
                value = ev.ShorthandOperand();
                return true;
            }
            : CompileValue(node.Left);
        if (node.Right is LiteralNode literal)
        {
            if (literal.Value.Kind == ValueKind.Number) return AgainstNumber(op, left, literal.Value.AsNumber());
            if (literal.Value.TryGetString(out var text) && !ValueSemantics.TryToNumber(literal.Value, out _)) return AgainstText(op, left, text);
        }
        var right = CompileValue(node.Right);
        var leftIsNull = Evaluator.IsNullLiteral(node.Left);
        var rightIsNull = Evaluator.IsNullLiteral(node.Right);
        return (ref Evaluator ev) =>
        {
            var hasLeft = left(ref ev, out var l);
            var hasRight = right(ref ev, out var r);
            return hasLeft && hasRight ? ValueSemantics.Compare(op, l, r) : Evaluator.CompareWithMissing(op, hasLeft, hasRight, leftIsNull, rightIsNull);
        };
    }

    /// <summary>
    /// Against a number literal <c>k</c>: only a numeric left side (a number, or a text that reads as one) can be
    /// equal or ordered; a missing left side makes every operator false (the right side is not the literal null).
    /// </summary>
    private static ConditionCode AgainstNumber(ComparisonOperator op, ValueCode left, double k) => op switch
    {
        ComparisonOperator.Equal => (ref Evaluator ev) => left(ref ev, out var l) && ValueSemantics.TryToNumber(l, out var a) && a == k,
        ComparisonOperator.NotEqual => (ref Evaluator ev) => left(ref ev, out var l) && !(ValueSemantics.TryToNumber(l, out var a) && a == k),
        ComparisonOperator.Less => (ref Evaluator ev) => left(ref ev, out var l) && ValueSemantics.TryToNumber(l, out var a) && a < k,
        ComparisonOperator.LessOrEqual => (ref Evaluator ev) => left(ref ev, out var l) && ValueSemantics.TryToNumber(l, out var a) && a <= k,
        ComparisonOperator.Greater => (ref Evaluator ev) => left(ref ev, out var l) && ValueSemantics.TryToNumber(l, out var a) && a > k,
        _ => (ref Evaluator ev) => left(ref ev, out var l) && ValueSemantics.TryToNumber(l, out var a) && a >= k,
    };

    /// <summary><see cref="AgainstNumber"/> for a left side that is a number whenever it is present.</summary>
    private static ConditionCode NumberAgainstNumber(ComparisonOperator op, NumberCode left, double k) => op switch
    {
        ComparisonOperator.Equal => (ref Evaluator ev) => left(ref ev, out var a) && a == k,
        ComparisonOperator.NotEqual => (ref Evaluator ev) => left(ref ev, out var a) && a != k,
        ComparisonOperator.Less => (ref Evaluator ev) => left(ref ev, out var a) && a < k,
        ComparisonOperator.LessOrEqual => (ref Evaluator ev) => left(ref ev, out var a) && a <= k,
        ComparisonOperator.Greater => (ref Evaluator ev) => left(ref ev, out var a) && a > k,
        _ => (ref Evaluator ev) => left(ref ev, out var a) && a >= k,
    };

    /// <summary>
    /// Against a text literal that does not read as a number: equal only to the same text (ordinal); ordering a
    /// non-numeric text is false for every operator, but the left side is still evaluated for its errors.
    /// </summary>
    private static ConditionCode AgainstText(ComparisonOperator op, ValueCode left, string text) => op switch
    {
        ComparisonOperator.Equal => (ref Evaluator ev) =>
            left(ref ev, out var l) && l.TryGetString(out var s) && string.Equals(s, text, StringComparison.Ordinal),
        ComparisonOperator.NotEqual => (ref Evaluator ev) =>
            left(ref ev, out var l) && !(l.TryGetString(out var s) && string.Equals(s, text, StringComparison.Ordinal)),
        _ => (ref Evaluator ev) =>
        {
            left(ref ev, out _);
            return false;
        },
    };
}
