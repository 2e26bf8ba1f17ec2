namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// Finds whether an expression may read run state other nodes write: workflow variables, context values, node
/// results, or a bare name that can fall back to a workflow variable. <c>input</c>, <c>item</c>, <c>index</c>,
/// <c>items</c> and <c>accumulator</c> never read workflow variables when written bare.
/// </summary>
internal static class SharedStateAnalysis
{
    public static bool ReadsSharedState(AstNode node) => node switch
    {
        VariableNode or ContextNode or NodeResultNode or NameNode => true,
        LiteralNode or InputNode or ItemNode or BoundNameNode => false,
        MemberNode member => ReadsSharedState(member.Target),
        IndexNode index => ReadsSharedState(index.Target) || ReadsSharedState(index.IndexExpression),
        MethodNode method => ReadsSharedState(method.Target) || Any(method.Arguments),
        CallNode call => Any(call.Arguments),
        UnaryNode unary => ReadsSharedState(unary.Operand),
        ArithmeticNode arithmetic => ReadsSharedState(arithmetic.First) || Any(arithmetic.Rest),
        LogicalNode logical => Any(logical.Operands),
        NotNode not => ReadsSharedState(not.Operand),
        ComparisonNode comparison => (comparison.Left is not null && ReadsSharedState(comparison.Left)) || ReadsSharedState(comparison.Right),
        TernaryNode ternary => ReadsSharedState(ternary.Condition) || ReadsSharedState(ternary.Then) || ReadsSharedState(ternary.Else),
        _ => true,
    };

    private static bool Any(AstNode[] nodes)
    {
        foreach (var node in nodes)
        {
            if (ReadsSharedState(node)) return true;
        }
        return false;
    }
}
