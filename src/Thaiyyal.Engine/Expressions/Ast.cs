namespace Thaiyyal.Engine.Expressions;

/// <summary>What kind of syntax node an <see cref="AstNode"/> is; the evaluator switches on it.</summary>
internal enum AstKind : byte
{
    Literal,
    Input,
    Item,
    BoundName,
    Name,
    Variable,
    Context,
    NodeResult,
    Member,
    Index,
    Method,
    Call,
    Unary,
    Arithmetic,
    Logical,
    Not,
    Comparison,
    Ternary,
}

/// <summary>Names a node binds for its expressions (<c>index</c>, <c>items</c>, <c>accumulator</c>).</summary>
internal enum BoundName : byte
{
    Index,
    Items,
    Accumulator,
}

internal enum ArithmeticOperator : byte
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

internal enum UnaryOperator : byte
{
    Negate,
    Plus,
}

internal enum ComparisonOperator : byte
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// One node of a parsed expression. Immutable; <see cref="Start"/> and <see cref="Length"/> locate it in the
/// expression text so errors can name a column and quote the operand.
/// </summary>
internal abstract class AstNode(AstKind kind, int start, int length)
{
    public AstKind Kind { get; } = kind;

    /// <summary>0-based offset of the node's first character.</summary>
    public int Start { get; } = start;

    public int Length { get; } = length;

    /// <summary>Where an error about this node points: the name of a member or method, else the node's start.</summary>
    public virtual int Anchor => Start;
}

/// <summary>A number, string, boolean or <c>null</c> written in the text.</summary>
internal sealed class LiteralNode(Value value, int start, int length) : AstNode(AstKind.Literal, start, length)
{
    public Value Value { get; } = value;
}

/// <summary><c>input</c>: the value being evaluated (node input or array element).</summary>
internal sealed class InputNode(int start, int length) : AstNode(AstKind.Input, start, length);

/// <summary><c>item</c>: the element a node bound, or else the input.</summary>
internal sealed class ItemNode(int start, int length) : AstNode(AstKind.Item, start, length);

/// <summary><c>index</c>, <c>items</c>, <c>accumulator</c>.</summary>
internal sealed class BoundNameNode(BoundName name, int start, int length) : AstNode(AstKind.BoundName, start, length)
{
    public BoundName Name { get; } = name;

    public string Text => Name switch
    {
        BoundName.Index => "index",
        BoundName.Items => "items",
        _ => "accumulator",
    };
}

/// <summary>Any other bare identifier: a field of the input, else a workflow variable.</summary>
internal sealed class NameNode(string name, int start, int length) : AstNode(AstKind.Name, start, length)
{
    public string Name { get; } = name;
}

/// <summary><c>variables.&lt;name&gt;</c>.</summary>
internal sealed class VariableNode(string name, int start, int length) : AstNode(AstKind.Variable, start, length)
{
    public string Name { get; } = name;
}

/// <summary><c>context.&lt;name&gt;</c>: a context variable or constant.</summary>
internal sealed class ContextNode(string name, int start, int length) : AstNode(AstKind.Context, start, length)
{
    public string Name { get; } = name;
}

/// <summary><c>node.&lt;id&gt;</c>: the result of an executed node.</summary>
internal sealed class NodeResultNode(string nodeId, int start, int length) : AstNode(AstKind.NodeResult, start, length)
{
    public string NodeId { get; } = nodeId;
}

/// <summary><c>target.name</c>, including <c>.length</c>.</summary>
internal sealed class MemberNode(AstNode target, string name, int nameStart, int start, int length) : AstNode(AstKind.Member, start, length)
{
    public AstNode Target { get; } = target;

    public string Name { get; } = name;

    public override int Anchor { get; } = nameStart;
}

/// <summary><c>target[index]</c>: an array position or an object key.</summary>
internal sealed class IndexNode(AstNode target, AstNode index, int start, int length) : AstNode(AstKind.Index, start, length)
{
    public AstNode Target { get; } = target;

    public AstNode IndexExpression { get; } = index;

    public override int Anchor => IndexExpression.Start;
}

/// <summary><c>target.method(args)</c>.</summary>
internal sealed class MethodNode(AstNode target, Functions.MethodDefinition method, AstNode[] arguments, int nameStart, int start, int length)
    : AstNode(AstKind.Method, start, length)
{
    public override int Anchor { get; } = nameStart;

    public AstNode Target { get; } = target;

    public Functions.MethodDefinition Method { get; } = method;

    public AstNode[] Arguments { get; } = arguments;
}

/// <summary><c>function(args)</c>.</summary>
internal sealed class CallNode(Functions.FunctionDefinition function, AstNode[] arguments, int start, int length)
    : AstNode(AstKind.Call, start, length)
{
    public Functions.FunctionDefinition Function { get; } = function;

    public AstNode[] Arguments { get; } = arguments;
}

/// <summary><c>-x</c> or <c>+x</c>.</summary>
internal sealed class UnaryNode(UnaryOperator op, AstNode operand, int start, int length) : AstNode(AstKind.Unary, start, length)
{
    public UnaryOperator Operator { get; } = op;

    public AstNode Operand { get; } = operand;
}

/// <summary>
/// A left-associative chain of one precedence level: <c>a + b - c</c> is <c>First = a</c>,
/// <c>Operators = [+, -]</c>, <c>Rest = [b, c]</c>. Chains are flat so a long sum evaluates in a loop, not by recursion.
/// </summary>
internal sealed class ArithmeticNode(AstNode first, ArithmeticOperator[] operators, AstNode[] rest, int start, int length)
    : AstNode(AstKind.Arithmetic, start, length)
{
    public AstNode First { get; } = first;

    public ArithmeticOperator[] Operators { get; } = operators;

    public AstNode[] Rest { get; } = rest;
}

/// <summary><c>a &amp;&amp; b &amp;&amp; c</c> or <c>a || b || c</c>, flat, short-circuit.</summary>
internal sealed class LogicalNode(bool isAnd, AstNode[] operands, int start, int length) : AstNode(AstKind.Logical, start, length)
{
    public bool IsAnd { get; } = isAnd;

    public AstNode[] Operands { get; } = operands;
}

/// <summary><c>!x</c>.</summary>
internal sealed class NotNode(AstNode operand, int start, int length) : AstNode(AstKind.Not, start, length)
{
    public AstNode Operand { get; } = operand;
}

/// <summary><c>a op b</c>; <see cref="Left"/> is null for the shorthand <c>&gt;= 18</c>, which compares the input.</summary>
internal sealed class ComparisonNode(ComparisonOperator op, AstNode? left, AstNode right, int start, int length)
    : AstNode(AstKind.Comparison, start, length)
{
    public ComparisonOperator Operator { get; } = op;

    public AstNode? Left { get; } = left;

    public AstNode Right { get; } = right;
}

/// <summary><c>condition ? then : else</c>.</summary>
internal sealed class TernaryNode(AstNode condition, AstNode then, AstNode otherwise, int start, int length)
    : AstNode(AstKind.Ternary, start, length)
{
    public AstNode Condition { get; } = condition;

    public AstNode Then { get; } = then;

    public AstNode Else { get; } = otherwise;
}
