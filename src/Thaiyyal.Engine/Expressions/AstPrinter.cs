using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// Prints an AST back to canonical text that parses to the same AST: single spaces around binary operators,
/// parentheses exactly where precedence or grouping needs them, strings in single quotes when possible.
/// </summary>
internal static class AstPrinter
{
    private const int TernaryLevel = 0;
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int ComparisonLevel = 4;
    private const int AdditiveLevel = 5;
    private const int MultiplicativeLevel = 6;
    private const int UnaryLevel = 7;
    private const int PostfixLevel = 8;

    public static string Print(AstNode node)
    {
        var sb = new StringBuilder();
        Print(sb, node, TernaryLevel);
        return sb.ToString();
    }

    private static int LevelOf(AstNode node) => node switch
    {
        TernaryNode => TernaryLevel,
        LogicalNode { IsAnd: false } => OrLevel,
        LogicalNode => AndLevel,
        NotNode => NotLevel,
        ComparisonNode => ComparisonLevel,
        ArithmeticNode { Operators: [ArithmeticOperator.Add or ArithmeticOperator.Subtract, ..] } => AdditiveLevel,
        ArithmeticNode => MultiplicativeLevel,
        UnaryNode => UnaryLevel,
        _ => PostfixLevel,
    };

    private static void Print(StringBuilder sb, AstNode node, int minimumLevel)
    {
        var parenthesise = LevelOf(node) < minimumLevel;
        if (parenthesise) sb.Append('(');
        PrintBare(sb, node);
        if (parenthesise) sb.Append(')');
    }

    private static void PrintBare(StringBuilder sb, AstNode node)
    {
        switch (node)
        {
            case LiteralNode literal: PrintLiteral(sb, literal.Value); break;
            case InputNode: sb.Append("input"); break;
            case ItemNode: sb.Append("item"); break;
            case BoundNameNode bound: sb.Append(bound.Text); break;
            case NameNode name: sb.Append(name.Name); break;
            case VariableNode variable: sb.Append("variables.").Append(variable.Name); break;
            case ContextNode context: sb.Append("context.").Append(context.Name); break;
            case NodeResultNode result: sb.Append("node.").Append(result.NodeId); break;
            case MemberNode member:
                Print(sb, member.Target, PostfixLevel);
                sb.Append('.').Append(member.Name);
                break;
            case IndexNode index:
                Print(sb, index.Target, PostfixLevel);
                sb.Append('[');
                Print(sb, index.IndexExpression, TernaryLevel);
                sb.Append(']');
                break;
            case MethodNode method:
                Print(sb, method.Target, PostfixLevel);
                sb.Append('.').Append(method.Method.Name);
                PrintArguments(sb, method.Arguments);
                break;
            case CallNode call:
                sb.Append(call.Function.Name);
                PrintArguments(sb, call.Arguments);
                break;
            case UnaryNode unary:
                sb.Append(unary.Operator == UnaryOperator.Negate ? '-' : '+');
                Print(sb, unary.Operand, UnaryLevel);
                break;
            case ArithmeticNode arithmetic:
                {
                    var level = LevelOf(arithmetic) + 1;
                    Print(sb, arithmetic.First, level);
                    for (var i = 0; i < arithmetic.Rest.Length; i++)
                    {
                        sb.Append(' ').Append(OperatorText(arithmetic.Operators[i])).Append(' ');
                        Print(sb, arithmetic.Rest[i], level);
                    }
                    break;
                }
            case LogicalNode logical:
                {
                    var level = LevelOf(logical) + 1;
                    for (var i = 0; i < logical.Operands.Length; i++)
                    {
                        if (i > 0) sb.Append(logical.IsAnd ? " && " : " || ");
                        Print(sb, logical.Operands[i], level);
                    }
                    break;
                }
            case NotNode not:
                // "! == 5" keeps '!' and '==' apart ("!==" would lex as "!=" "=").
                sb.Append(not.Operand is ComparisonNode { Left: null } ? "! " : "!");
                Print(sb, not.Operand, NotLevel);
                break;
            case ComparisonNode comparison:
                if (comparison.Left is not null)
                {
                    Print(sb, comparison.Left, AdditiveLevel);
                    sb.Append(' ');
                }
                sb.Append(OperatorText(comparison.Operator)).Append(' ');
                Print(sb, comparison.Right, AdditiveLevel);
                break;
            case TernaryNode ternary:
                Print(sb, ternary.Condition, OrLevel);
                sb.Append(" ? ");
                Print(sb, ternary.Then, TernaryLevel);
                sb.Append(" : ");
                Print(sb, ternary.Else, TernaryLevel);
                break;
            default:
                throw new InvalidOperationException($"unexpected expression node {node.Kind}");
        }
    }

    private static void PrintArguments(StringBuilder sb, AstNode[] arguments)
    {
        sb.Append('(');
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            Print(sb, arguments[i], TernaryLevel);
        }
        sb.Append(')');
    }

    private static void PrintLiteral(StringBuilder sb, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: sb.Append("null"); break;
            case ValueKind.Bool: sb.Append(value.AsBool() ? "true" : "false"); break;
            case ValueKind.String:
                {
                    var text = value.AsString();
                    var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
                    sb.Append(quote).Append(text.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal)).Append(quote);
                    break;
                }
            default: sb.Append(value.AsNumber().ToString("R", CultureInfo.InvariantCulture)); break;
        }
    }

    private static string OperatorText(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        _ => "%",
    };

    private static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        _ => ">=",
    };
}
