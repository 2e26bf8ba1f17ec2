using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Structural equality of parsed expressions (node kinds, operators, names, literals; not positions).</summary>
internal static class AstComparer
{
    public static bool Same(AstNode? a, AstNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Kind != b.Kind) return false;
        return (a, b) switch
        {
            (LiteralNode x, LiteralNode y) => x.Value.Kind == y.Value.Kind && x.Value.Equals(y.Value),
            (InputNode, InputNode) or (ItemNode, ItemNode) => true,
            (BoundNameNode x, BoundNameNode y) => x.Name == y.Name,
            (NameNode x, NameNode y) => x.Name == y.Name,
            (VariableNode x, VariableNode y) => x.Name == y.Name,
            (ContextNode x, ContextNode y) => x.Name == y.Name,
            (NodeResultNode x, NodeResultNode y) => x.NodeId == y.NodeId,
            (MemberNode x, MemberNode y) => x.Name == y.Name && Same(x.Target, y.Target),
            (IndexNode x, IndexNode y) => Same(x.Target, y.Target) && Same(x.IndexExpression, y.IndexExpression),
            (MethodNode x, MethodNode y) => x.Method == y.Method && Same(x.Target, y.Target) && All(x.Arguments, y.Arguments),
            (CallNode x, CallNode y) => x.Function == y.Function && All(x.Arguments, y.Arguments),
            (UnaryNode x, UnaryNode y) => x.Operator == y.Operator && Same(x.Operand, y.Operand),
            (ArithmeticNode x, ArithmeticNode y) => x.Operators.SequenceEqual(y.Operators) && Same(x.First, y.First) && All(x.Rest, y.Rest),
            (LogicalNode x, LogicalNode y) => x.IsAnd == y.IsAnd && All(x.Operands, y.Operands),
            (NotNode x, NotNode y) => Same(x.Operand, y.Operand),
            (ComparisonNode x, ComparisonNode y) => x.Operator == y.Operator && Same(x.Left, y.Left) && Same(x.Right, y.Right),
            (TernaryNode x, TernaryNode y) => Same(x.Condition, y.Condition) && Same(x.Then, y.Then) && Same(x.Else, y.Else),
            _ => false,
        };
    }

    private static bool All(AstNode[] a, AstNode[] b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!Same(a[i], b[i])) return false;
        }
        return true;
    }

    /// <summary>The parsed root of an expression (tests only).</summary>
    public static AstNode RootOf(string text) => ExpressionEngine.Parse(text).Root;
}
