namespace Thaiyyal.Engine.Expressions.Compiled;

/// <summary>
/// A compiled node's value, or false when something it reads is missing (the reason recorded in the evaluator):
/// the compiled form of <see cref="Evaluator.TryEvaluate"/>.
/// </summary>
internal delegate bool ValueCode(ref Evaluator evaluator, out Value value);

/// <summary>A compiled node read as a condition: the compiled form of <see cref="Evaluator.IsTrue"/>.</summary>
internal delegate bool ConditionCode(ref Evaluator evaluator);

/// <summary>A compiled arithmetic operand: false when missing, an error when the value is not a number.</summary>
internal delegate bool NumberCode(ref Evaluator evaluator, out double number);

/// <summary>
/// An expression compiled once into a tree of delegates (<see cref="ExpressionCompiler"/>). The delegates keep no
/// state of their own: everything an evaluation changes lives in the <see cref="Evaluator"/> passed by reference,
/// so one compiled expression serves any number of concurrent evaluations.
/// </summary>
internal sealed class CompiledExpression(ValueCode value, ConditionCode condition)
{
    /// <summary>The root as a value (<see cref="ParsedExpression.EvaluateValue"/>).</summary>
    public readonly ValueCode Value = value;

    /// <summary>The root as a condition (<see cref="ParsedExpression.EvaluateBoolean"/>).</summary>
    public readonly ConditionCode Condition = condition;
}
