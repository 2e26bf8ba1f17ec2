using System.Runtime.CompilerServices;
using System.Text;
using Thaiyyal.Engine.Expressions.Functions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// Walks a parsed expression against a scope. Two kinds of failure:
/// <list type="bullet">
/// <item>a <b>missing</b> value (unknown field, variable or node result, index out of range, a path through null):
/// <see cref="TryEvaluate"/> returns false; a comparison with a missing side is false, a missing condition is
/// false, and only a value-producing evaluation turns it into an error (expressions.md §7–8);</item>
/// <item>a real <b>error</b> (wrong type, division by zero, bad function argument): an
/// <see cref="ExpressionException"/> naming the column.</item>
/// </list>
/// A struct, so evaluating numbers and booleans allocates nothing.
/// </summary>
internal struct Evaluator
{
    private readonly string _text;
    private ExpressionScope _scope;
    private Missing _missing;

    public Evaluator(string text, in ExpressionScope scope)
    {
        _text = text;
        _scope = scope;
        _missing = default;
    }

    public readonly ExpressionScope Scope => _scope;

    public readonly ExpressionEnvironment Environment => _scope.Environment;

    public readonly string Text => _text;

    /// <summary>
    /// Evaluates a condition: only the boolean true is true; missing is false. A function call used as a condition
    /// must give a boolean (expressions.md §7 step 5): <c>year(d)</c> as a condition is an error, not false.
    /// </summary>
    public bool IsTrue(AstNode node)
    {
        if (!TryEvaluate(node, out var value)) return false;
        if (value.TryGetBool(out var flag)) return flag;
        if (node is CallNode call) throw Error(node, $"function {call.Function.Name}() did not return a boolean value");
        return false;
    }

    /// <summary>The value of <paramref name="node"/>, or false when something it reads is missing.</summary>
    public bool TryEvaluate(AstNode node, out Value value)
    {
        switch (node.Kind)
        {
            case AstKind.Literal:
                value = ((LiteralNode)node).Value;
                return true;
            case AstKind.Input:
                value = _scope.Input;
                return true;
            case AstKind.Item:
                value = _scope.Item;
                return true;
            case AstKind.Comparison:
                value = Value.From(Compare((ComparisonNode)node));
                return true;
            case AstKind.Logical:
                value = Value.From(Logical((LogicalNode)node));
                return true;
            case AstKind.Not:
                value = Value.From(!IsTrue(((NotNode)node).Operand));
                return true;
            case AstKind.Arithmetic:
                return TryArithmetic((ArithmeticNode)node, out value);
            case AstKind.Unary:
                return TryUnary((UnaryNode)node, out value);
            case AstKind.Member:
                return TryMember((MemberNode)node, out value);
            case AstKind.Index:
                return TryIndex((IndexNode)node, out value);
            case AstKind.Ternary:
                var ternary = (TernaryNode)node;
                return TryEvaluate(IsTrue(ternary.Condition) ? ternary.Then : ternary.Else, out value);
            case AstKind.Call:
                return TryCall((CallNode)node, out value);
            case AstKind.Method:
                return TryMethod((MethodNode)node, out value);
            default:
                return TryReference(node, out value);
        }
    }

    /// <summary>Evaluates <paramref name="node"/> with another input (and <c>item</c>), for <c>map()</c>.</summary>
    public bool TryEvaluateWithInput(AstNode node, Value input, out Value value)
    {
        var saved = _scope;
        _scope = _scope.WithElement(input);
        try
        {
            return TryEvaluate(node, out value);
        }
        finally
        {
            _scope = saved;
        }
    }

    /// <summary>The message of the last missing value (for value-producing evaluations that must fail).</summary>
    public readonly ExpressionException MissingError()
    {
        var at = _missing.At?.Anchor ?? 0;
        return new ExpressionException(_text, at, _missing.Describe());
    }

    /// <summary>An error at <paramref name="node"/> to throw.</summary>
    public readonly ExpressionException Error(AstNode node, string problem) => new(_text, node.Anchor, problem);

    /// <summary>An error at a text offset (0-based) to throw.</summary>
    public readonly ExpressionException ErrorAt(int offset, string problem) => new(_text, offset, problem);

    /// <summary>The source text of a node, for messages.</summary>
    public readonly string SourceOf(AstNode node) => _text.Substring(node.Start, node.Length);

    /// <summary>Records why a value is missing and returns false.</summary>
    private bool Miss(AstNode at, MissingReason reason, string? name = null, long a = 0, long b = 0)
    {
        _missing = new Missing(reason, at, name, a, b);
        return false;
    }

    private bool TryReference(AstNode node, out Value value)
    {
        var env = _scope.Environment;
        switch (node.Kind)
        {
            case AstKind.BoundName:
                {
                    var bound = (BoundNameNode)node;
                    if (_scope.TryGetBound(bound.Name, out value)) return true;
                    if (_scope.Input.TryGetObject(out var obj) && obj.TryGetValue(bound.Text, out value)) return true;
                    return Miss(node, MissingReason.UnknownReference, bound.Text);
                }
            case AstKind.Name:
                {
                    var name = ((NameNode)node).Name;
                    if (_scope.TryGetBound(name, out value)) return true;
                    if (_scope.Input.TryGetObject(out var obj) && obj.TryGetValue(name, out value)) return true;
                    if (env.TryGetVariable(name, out value)) return true;
                    return Miss(node, MissingReason.UnknownReference, name);
                }
            case AstKind.Variable:
                {
                    var name = ((VariableNode)node).Name;
                    if (_scope.TryGetBound(name, out value)) return true;
                    if (env.TryGetVariable(name, out value)) return true;
                    if (name == "item" && !_scope.Input.IsNull) { value = _scope.Item; return true; }
                    if (name == "input" && !_scope.Input.IsNull) { value = _scope.Input; return true; }
                    return Miss(node, MissingReason.VariableNotFound, name);
                }
            case AstKind.Context:
                {
                    var name = ((ContextNode)node).Name;
                    return env.TryGetContextValue(name, out value) || Miss(node, MissingReason.ContextNotFound, name);
                }
            case AstKind.NodeResult:
                {
                    var id = ((NodeResultNode)node).NodeId;
                    return env.TryGetNodeResult(id, out value) || Miss(node, MissingReason.NodeResultNotFound, id);
                }
            default:
                throw new InvalidOperationException($"unexpected expression node {node.Kind}");
        }
    }

    private bool Logical(LogicalNode node)
    {
        var operands = node.Operands;
        if (node.IsAnd)
        {
            foreach (var operand in operands)
            {
                if (!IsTrue(operand)) return false;
            }
            return true;
        }
        foreach (var operand in operands)
        {
            if (IsTrue(operand)) return true;
        }
        return false;
    }

    private bool Compare(ComparisonNode node)
    {
        Value left;
        bool hasLeft;
        if (node.Left is null)
        {
            // Shorthand ">= 18" compares the input; a condition result {value: 85, ...} compares as 85.
            left = _scope.Input;
            while (left.TryGetObject(out var obj) && obj.TryGetValue("value", out var inner)) left = inner;
            hasLeft = true;
        }
        else
        {
            hasLeft = TryEvaluate(node.Left, out left);
        }
        var hasRight = TryEvaluate(node.Right, out var right);
        if (hasLeft && hasRight) return ValueSemantics.Compare(node.Operator, left, right);
        // A missing field equals the literal null; every other comparison with a missing side is false.
        if (node.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            var missingIsNull = (!hasLeft && IsNullLiteral(node.Right) && hasRight) || (!hasRight && IsNullLiteral(node.Left) && hasLeft);
            if (missingIsNull) return node.Operator == ComparisonOperator.Equal;
        }
        return false;
    }

    private static bool IsNullLiteral(AstNode? node) => node is LiteralNode { Value.IsNull: true };

    private bool TryUnary(UnaryNode node, out Value value)
    {
        if (!TryNumber(node.Operand, out var number))
        {
            value = default;
            return false;
        }
        value = Value.From(node.Operator == UnaryOperator.Negate ? -number : number);
        return true;
    }

    private bool TryArithmetic(ArithmeticNode node, out Value value)
    {
        value = default;
        if (!TryNumber(node.First, out var result)) return false;
        var rest = node.Rest;
        var operators = node.Operators;
        for (var i = 0; i < rest.Length; i++)
        {
            if (!TryNumber(rest[i], out var right)) return false;
            switch (operators[i])
            {
                case ArithmeticOperator.Add: result += right; break;
                case ArithmeticOperator.Subtract: result -= right; break;
                case ArithmeticOperator.Multiply: result *= right; break;
                case ArithmeticOperator.Divide:
                    if (right == 0) throw Error(rest[i], "division by zero");
                    result /= right;
                    break;
                default:
                    // Integer remainder of the truncated operands, sign of the dividend (10 % 3 = 1, -7 % 3 = -1, 7.9 % 2 = 1).
                    var divisor = Math.Truncate(right);
                    if (divisor == 0 || double.IsNaN(divisor)) throw Error(rest[i], "modulo by zero");
                    result = Math.Truncate(result) % divisor;
                    break;
            }
        }
        value = Value.From(result);
        return true;
    }

    /// <summary>Evaluates an arithmetic operand: missing stays missing, a non-number is an error.</summary>
    private bool TryNumber(AstNode node, out double number)
    {
        if (!TryEvaluate(node, out var value))
        {
            number = 0;
            return false;
        }
        if (ValueSemantics.TryToNumber(value, out number)) return true;
        throw ErrorAt(node.Start, $"value '{Compatibility.GoValueText.ToGoString(value)}' at '{SourceOf(node)}' cannot be converted to number");
    }

    private bool TryMember(MemberNode node, out Value value)
    {
        if (!TryEvaluate(node.Target, out var target))
        {
            value = default;
            return false;
        }
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

    private bool TryIndex(IndexNode node, out Value value)
    {
        value = default;
        if (!TryEvaluate(node.Target, out var target)) return false;
        if (!TryEvaluate(node.IndexExpression, out var index)) return false;
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

    private bool TryCall(CallNode node, out Value value)
    {
        var function = node.Function;
        if (function.Mode == ArgumentMode.Lazy)
        {
            value = function.Body(ref this, node, default);
            return true;
        }
        var arguments = node.Arguments;
        var buffer = default(ArgumentBuffer);
        Span<Value> values = arguments.Length <= ArgumentBuffer.Size ? buffer[..arguments.Length] : new Value[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            if (TryEvaluate(arguments[i], out var argument))
            {
                values[i] = argument;
            }
            else if (function.Mode == ArgumentMode.MissingAsNull)
            {
                values[i] = default;
            }
            else
            {
                value = default;
                return false;
            }
        }
        value = function.Body(ref this, node, values);
        return true;
    }

    private bool TryMethod(MethodNode node, out Value value)
    {
        value = default;
        if (!TryEvaluate(node.Target, out var receiver)) return false;
        if (receiver.IsNull) return Miss(node, MissingReason.NullReceiver, node.Method.Name);
        var arguments = node.Arguments;
        var buffer = default(ArgumentBuffer);
        Span<Value> values = buffer[..arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!TryEvaluate(arguments[i], out values[i])) return false;
        }
        value = node.Method.Body(ref this, node, receiver, values);
        return true;
    }

    /// <summary>Room for the arguments of most calls without allocating.</summary>
    [InlineArray(Size)]
    private struct ArgumentBuffer
    {
        public const int Size = 8;

        private Value _element;
    }

    private enum MissingReason : byte
    {
        None,
        UnknownReference,
        VariableNotFound,
        ContextNotFound,
        NodeResultNotFound,
        FieldNotFound,
        NotAnObject,
        NotAnArray,
        IndexOutOfRange,
        NullReceiver,
    }

    /// <summary>Why the last value was missing; the message is built only if someone asks.</summary>
    private readonly record struct Missing(MissingReason Reason, AstNode? At, string? Name, long A, long B)
    {
        public string Describe() => Reason switch
        {
            MissingReason.UnknownReference => $"unknown reference: {Name}",
            MissingReason.VariableNotFound => $"variable not found: {Name}",
            MissingReason.ContextNotFound => $"context variable not found: {Name}",
            MissingReason.NodeResultNotFound => $"node result not found: {Name}",
            MissingReason.FieldNotFound => $"field not found: {Name}",
            MissingReason.NotAnObject => $"cannot access field {Name} on non-object",
            MissingReason.NotAnArray => $"cannot use array indexing on non-array type: {Name}",
            MissingReason.IndexOutOfRange => $"array index {A} out of bounds (length: {B})",
            MissingReason.NullReceiver => $"cannot call {Name}() on <nil>",
            _ => "value is missing",
        };
    }
}
