using System.Runtime.CompilerServices;
using Thaiyyal.Engine.Expressions.Functions;

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
internal partial struct Evaluator
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

    /// <summary><c>input</c> of the current scope (read in place: the scope is not copied).</summary>
    internal readonly Value Input => _scope.Input;

    /// <summary><c>item</c> of the current scope.</summary>
    internal readonly Value Item => _scope.Item;

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

    /// <summary>Runs compiled <paramref name="code"/> with another input (and <c>item</c>), for <c>map()</c>.</summary>
    internal bool TryEvaluateWithInput(Compiled.ValueCode code, Value input, out Value value)
    {
        var saved = _scope;
        _scope = _scope.WithElement(input);
        try
        {
            return code(ref this, out value);
        }
        finally
        {
            _scope = saved;
        }
    }

    /// <summary>Moves the scope on to another array element (<see cref="ElementLoop"/>).</summary>
    internal void MoveToElement(Value element, Value index) => _scope.MoveToElement(element, index);

    /// <summary>Sets the scope's <c>accumulator</c> (<see cref="ElementLoop"/>).</summary>
    internal void SetAccumulator(Value accumulator) => _scope.SetAccumulator(accumulator);

    /// <summary>Starts a new evaluation: no missing value recorded yet.</summary>
    internal void ForgetMissing() => _missing = default;

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
    internal bool Miss(AstNode at, MissingReason reason, string? name = null, long a = 0, long b = 0)
    {
        _missing = new Missing(reason, at, name, a, b);
        return false;
    }

    private bool TryReference(AstNode node, out Value value) => node.Kind switch
    {
        AstKind.BoundName => TryBoundName((BoundNameNode)node, out value),
        AstKind.Name => TryName((NameNode)node, out value),
        AstKind.Variable => TryVariable((VariableNode)node, out value),
        AstKind.Context => TryContext((ContextNode)node, out value),
        AstKind.NodeResult => TryNodeResult((NodeResultNode)node, out value),
        _ => throw new InvalidOperationException($"unexpected expression node {node.Kind}"),
    };

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
            left = ShorthandOperand();
            hasLeft = true;
        }
        else
        {
            hasLeft = TryEvaluate(node.Left, out left);
        }
        var hasRight = TryEvaluate(node.Right, out var right);
        if (hasLeft && hasRight) return ValueSemantics.Compare(node.Operator, left, right);
        return CompareWithMissing(node.Operator, hasLeft, hasRight, IsNullLiteral(node.Left), IsNullLiteral(node.Right));
    }

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
            result = Apply(operators[i], result, right, rest[i]);
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
        throw NotANumber(node, value);
    }

    private bool TryMember(MemberNode node, out Value value)
    {
        if (!TryEvaluate(node.Target, out var target))
        {
            value = default;
            return false;
        }
        return TryMemberOf(node, target, out value);
    }

    private bool TryIndex(IndexNode node, out Value value)
    {
        value = default;
        if (!TryEvaluate(node.Target, out var target)) return false;
        if (!TryEvaluate(node.IndexExpression, out var index)) return false;
        return TryIndexOf(node, target, index, out value);
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
    internal struct ArgumentBuffer
    {
        public const int Size = 8;

        private Value _element;
    }

    internal enum MissingReason : byte
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
