using System.Text;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// The steps of an evaluation that come after the operands are known: name lookups, member and index access, an
/// arithmetic step, the comparison of a missing side. The tree walk (Evaluator.cs) and the compiled delegates
/// (Compiled/) both call these, so the two can differ only in how they reach a node's operands, which is what the
/// equivalence tests compare.
/// </summary>
internal partial struct Evaluator
{
    // The lookups of the names below are shared by the interpreter and the compiled form: both resolve a name the same way.

    internal bool TryBoundName(BoundNameNode node, out Value value)
    {
        if (_scope.TryGetBound(node.Name, out value)) return true;
        if (_scope.Input.TryGetObject(out var obj) && obj.TryGetValue(node.Text, out value)) return true;
        return Miss(node, MissingReason.UnknownReference, node.Text);
    }

    internal bool TryName(NameNode node, out Value value)
    {
        var name = node.Name;
        if (_scope.TryGetBound(name, out value)) return true;
        if (_scope.Input.TryGetObject(out var obj) && obj.TryGetValue(name, out value)) return true;
        if (_scope.Environment.TryGetVariable(name, out value)) return true;
        return Miss(node, MissingReason.UnknownReference, name);
    }

    internal bool TryVariable(VariableNode node, out Value value)
    {
        var name = node.Name;
        if (_scope.TryGetBound(name, out value)) return true;
        if (_scope.Environment.TryGetVariable(name, out value)) return true;
        if (name == "item" && !_scope.Input.IsNull) { value = _scope.Item; return true; }
        if (name == "input" && !_scope.Input.IsNull) { value = _scope.Input; return true; }
        return Miss(node, MissingReason.VariableNotFound, name);
    }

    internal bool TryContext(ContextNode node, out Value value) =>
        _scope.Environment.TryGetContextValue(node.Name, out value) || Miss(node, MissingReason.ContextNotFound, node.Name);

    internal bool TryNodeResult(NodeResultNode node, out Value value) =>
        _scope.Environment.TryGetNodeResult(node.NodeId, out value) || Miss(node, MissingReason.NodeResultNotFound, node.NodeId);

    /// <summary>The left side of the shorthand <c>&gt;= 18</c>: the input; a condition result <c>{value: 85, ...}</c> compares as 85.</summary>
    internal readonly Value ShorthandOperand()
    {
        var left = _scope.Input;
        while (left.TryGetObject(out var obj) && obj.TryGetValue("value", out var inner)) left = inner;
        return left;
    }

    /// <summary>
    /// A comparison where a side is missing: a missing field equals the literal null; every other comparison with a
    /// missing side is false.
    /// </summary>
    internal static bool CompareWithMissing(ComparisonOperator op, bool hasLeft, bool hasRight, bool leftIsNullLiteral, bool rightIsNullLiteral)
    {
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            var missingIsNull = (!hasLeft && rightIsNullLiteral && hasRight) || (!hasRight && leftIsNullLiteral && hasLeft);
            if (missingIsNull) return op == ComparisonOperator.Equal;
        }
        return false;
    }

    internal static bool IsNullLiteral(AstNode? node) => node is LiteralNode { Value.IsNull: true };

    /// <summary>One step of an arithmetic chain; <paramref name="rightNode"/> is where a division by zero points.</summary>
    internal readonly double Apply(ArithmeticOperator op, double left, double right, AstNode rightNode)
    {
        switch (op)
        {
            case ArithmeticOperator.Add: return left + right;
            case ArithmeticOperator.Subtract: return left - right;
            case ArithmeticOperator.Multiply: return left * right;
            case ArithmeticOperator.Divide:
                if (right == 0) throw Error(rightNode, "division by zero");
                return left / right;
            default:
                // Integer remainder of the truncated operands, sign of the dividend (10 % 3 = 1, -7 % 3 = -1, 7.9 % 2 = 1).
                var divisor = Math.Truncate(right);
                if (divisor == 0 || double.IsNaN(divisor)) throw Error(rightNode, "modulo by zero");
                return Math.Truncate(left) % divisor;
        }
    }

    /// <summary>The error for an arithmetic operand that is not a number.</summary>
    internal readonly ExpressionException NotANumber(AstNode node, Value value) =>
        ErrorAt(node.Start, $"value '{Compatibility.GoValueText.ToGoString(value)}' at '{SourceOf(node)}' cannot be converted to number");

    /// <summary><c>.name</c> of an evaluated target (shared with the compiled form).</summary>
    internal bool TryMemberOf(MemberNode node, Value target, out Value value)
    {
        if (target.TryGetObject(out var obj))
        {
            return obj.TryGetValue(node.Name, out value) || Miss(node, MissingReason.FieldNotFound, node.Name);
        }
        if (node.Name == "length")
        {
            if (target.TryGetArray(out var array))
            {
                value = Value.FromInteger(array.Count);
                return true;
            }
            if (target.TryGetString(out var text))
            {
                // The original counts UTF-8 bytes.
                value = Value.FromInteger(Encoding.UTF8.GetByteCount(text));
                return true;
            }
            if (!target.IsNull) throw Error(node, $".length property only available on arrays and strings, got {target.GoTypeName}");
        }
        value = default;
        return Miss(node, MissingReason.NotAnObject, node.Name);
    }

    /// <summary><c>[index]</c> of an evaluated target (shared with the compiled form).</summary>
    internal bool TryIndexOf(IndexNode node, Value target, Value index, out Value value)
    {
        value = default;
        if (index.TryGetString(out var key))
        {
            if (target.TryGetObject(out var obj)) return obj.TryGetValue(key, out value) || Miss(node, MissingReason.FieldNotFound, key);
            return Miss(node, MissingReason.NotAnObject, key);
        }
        if (!index.TryGetNumber(out var position) || position < 0 || position != Math.Floor(position))
            throw Error(node.IndexExpression, $"invalid array index: {Compatibility.GoValueText.ToGoString(index)}");
        if (!target.TryGetArray(out var array)) return Miss(node, MissingReason.NotAnArray, target.GoTypeName);
        if (position >= array.Count) return Miss(node, MissingReason.IndexOutOfRange, null, (long)position, array.Count);
        value = array[(int)position];
        return true;
    }
}
