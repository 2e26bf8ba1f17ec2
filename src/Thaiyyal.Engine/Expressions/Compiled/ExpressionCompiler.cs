namespace Thaiyyal.Engine.Expressions.Compiled;

/// <summary>
/// Closure compilation of a parsed expression: every AST node becomes a delegate that calls its children's delegates
/// directly, so an evaluation no longer dispatches on node kinds, casts nodes or wraps numbers and booleans in
/// <see cref="Value"/>s between operators. Plain delegates rather than <c>System.Linq.Expressions</c>: nothing is
/// generated at run time, so the natively compiled (AOT) command line runs the same code.
/// <para>
/// The tree-walking <see cref="Evaluator"/> stays the reference: each compiled node does what the interpreter does
/// for that node, in the same order (so the same sub-expression fails first), records the same missing values and
/// throws the same errors; name lookups, member and index access, arithmetic steps and function bodies are the
/// interpreter's own methods. The property tests compare both on generated expressions.
/// </para>
/// </summary>
internal static partial class ExpressionCompiler
{
    public static CompiledExpression Compile(AstNode root) => new(CompileValue(root), CompileCondition(root));

    /// <summary>The node's value (<see cref="Evaluator.TryEvaluate"/>).</summary>
    public static ValueCode CompileValue(AstNode node)
    {
        switch (node.Kind)
        {
            case AstKind.Literal:
                {
                    var constant = ((LiteralNode)node).Value;
                    return (ref Evaluator _, out Value value) =>
                    {
                        value = constant;
                        return true;
                    };
                }
            case AstKind.Input:
                return static (ref Evaluator ev, out Value value) =>
                {
                    value = ev.Input;
                    return true;
                };
            case AstKind.Item:
                return static (ref Evaluator ev, out Value value) =>
                {
                    value = ev.Item;
                    return true;
                };
            // Name lookups: the node is the delegate's only state.
            case AstKind.BoundName when node is BoundNameNode bound: return (ref Evaluator ev, out Value value) => ev.TryBoundName(bound, out value);
            case AstKind.Name when node is NameNode name: return (ref Evaluator ev, out Value value) => ev.TryName(name, out value);
            case AstKind.Variable when node is VariableNode variable: return (ref Evaluator ev, out Value value) => ev.TryVariable(variable, out value);
            case AstKind.Context when node is ContextNode context: return (ref Evaluator ev, out Value value) => ev.TryContext(context, out value);
            case AstKind.NodeResult when node is NodeResultNode result: return (ref Evaluator ev, out Value value) => ev.TryNodeResult(result, out value);
            case AstKind.Comparison or AstKind.Logical or AstKind.Not:
                {
                    // These always have a value: the boolean.
                    var condition = CompileCondition(node);
                    return (ref Evaluator ev, out Value value) =>
                    {
                        value = Value.From(condition(ref ev));
                        return true;
                    };
                }
            case AstKind.Arithmetic or AstKind.Unary:
                {
                    var number = CompileNumber(node);
                    return (ref Evaluator ev, out Value value) =>
                    {
                        if (number(ref ev, out var result))
                        {
                            value = Value.From(result);
                            return true;
                        }
                        value = default;
                        return false;
                    };
                }
            case AstKind.Member:
                return Member((MemberNode)node);
            case AstKind.Index:
                return Index((IndexNode)node);
            case AstKind.Ternary:
                return Ternary((TernaryNode)node);
            case AstKind.Call:
                return Call((CallNode)node);
            case AstKind.Method:
                return Method((MethodNode)node);
            default:
                throw new InvalidOperationException($"unexpected expression node {node.Kind}");
        }
    }

    /// <summary>The node as a condition (<see cref="Evaluator.IsTrue"/>): only the boolean true is true, missing is false.</summary>
    public static ConditionCode CompileCondition(AstNode node)
    {
        switch (node.Kind)
        {
            case AstKind.Comparison:
                return Comparison((ComparisonNode)node);
            case AstKind.Logical:
                return Logical((LogicalNode)node);
            case AstKind.Not:
                {
                    var operand = CompileCondition(((NotNode)node).Operand);
                    return (ref Evaluator ev) => !operand(ref ev);
                }
        }
        var code = CompileValue(node);
        if (node is CallNode call)
        {
            // A function call used as a condition must give a boolean (expressions.md §7 step 5).
            var problem = $"function {call.Function.Name}() did not return a boolean value";
            return (ref Evaluator ev) =>
            {
                if (!code(ref ev, out var value)) return false;
                return value.TryGetBool(out var flag) ? flag : throw ev.Error(call, problem);
            };
        }
        return (ref Evaluator ev) => code(ref ev, out var value) && value.TryGetBool(out var flag) && flag;
    }

    /// <summary>
    /// The node as an arithmetic operand (<c>Evaluator.TryNumber</c>): missing stays missing, a non-number is an
    /// error. Arithmetic and signs produce their double directly, without a <see cref="Value"/> in between.
    /// </summary>
    public static NumberCode CompileNumber(AstNode node)
    {
        switch (node)
        {
            case ArithmeticNode arithmetic:
                return Arithmetic(arithmetic);
            case UnaryNode unary:
                return Unary(unary);
            case LiteralNode literal when literal.Value.TryGetNumber(out var constant):
                return (ref Evaluator _, out double number) =>
                {
                    number = constant;
                    return true;
                };
            case ItemNode:
                return (ref Evaluator ev, out double number) =>
                {
                    var value = ev.Item;
                    if (ValueSemantics.TryToNumber(value, out number)) return true;
                    throw ev.NotANumber(node, value);
                };
            case InputNode:
                return (ref Evaluator ev, out double number) =>
                {
                    var value = ev.Input;
                    if (ValueSemantics.TryToNumber(value, out number)) return true;
                    throw ev.NotANumber(node, value);
                };
            case MemberNode { Target.Kind: AstKind.Item } member:
                // item.price in arithmetic: the field read and the conversion in one delegate.
                return (ref Evaluator ev, out double number) =>
                {
                    if (!ev.TryMemberOf(member, ev.Item, out var value))
                    {
                        number = 0;
                        return false;
                    }
                    if (ValueSemantics.TryToNumber(value, out number)) return true;
                    throw ev.NotANumber(member, value);
                };
        }
        var code = CompileValue(node);
        return (ref Evaluator ev, out double number) =>
        {
            if (!code(ref ev, out var value))
            {
                number = 0;
                return false;
            }
            if (ValueSemantics.TryToNumber(value, out number)) return true;
            throw ev.NotANumber(node, value);
        };
    }

    private static NumberCode Unary(UnaryNode node)
    {
        var operand = CompileNumber(node.Operand);
        if (node.Operator == UnaryOperator.Plus) return operand;
        return (ref Evaluator ev, out double number) =>
        {
            if (!operand(ref ev, out var x))
            {
                number = 0;
                return false;
            }
            number = -x;
            return true;
        };
    }

    private static NumberCode Arithmetic(ArithmeticNode node)
    {
        var first = CompileNumber(node.First);
        var restNodes = node.Rest;
        var rest = Array.ConvertAll(restNodes, CompileNumber);
        var operators = node.Operators;
        if (rest.Length == 1)
        {
            // The common a op b, one delegate with the operator fixed.
            var second = rest[0];
            var secondNode = restNodes[0];
            switch (operators[0])
            {
                case ArithmeticOperator.Add:
                    return (ref Evaluator ev, out double number) =>
                    {
                        number = 0;
                        if (!first(ref ev, out var a) || !second(ref ev, out var b)) return false;
                        number = a + b;
                        return true;
                    };
                case ArithmeticOperator.Subtract:
                    return (ref Evaluator ev, out double number) =>
                    {
                        number = 0;
                        if (!first(ref ev, out var a) || !second(ref ev, out var b)) return false;
                        number = a - b;
                        return true;
                    };
                case ArithmeticOperator.Multiply:
                    return (ref Evaluator ev, out double number) =>
                    {
                        number = 0;
                        if (!first(ref ev, out var a) || !second(ref ev, out var b)) return false;
                        number = a * b;
                        return true;
                    };
                default:
                    var op = operators[0];
                    return (ref Evaluator ev, out double number) =>
                    {
                        number = 0;
                        if (!first(ref ev, out var a) || !second(ref ev, out var b)) return false;
                        number = ev.Apply(op, a, b, secondNode);
                        return true;
                    };
            }
        }
        return (ref Evaluator ev, out double number) =>
        {
            number = 0;
            if (!first(ref ev, out var result)) return false;
            for (var i = 0; i < rest.Length; i++)
            {
                if (!rest[i](ref ev, out var right)) return false;
                result = ev.Apply(operators[i], result, right, restNodes[i]);
            }
            number = result;
            return true;
        };
    }

    private static ConditionCode Logical(LogicalNode node)
    {
        var operands = Array.ConvertAll(node.Operands, CompileCondition);
        if (operands.Length == 2)
        {
            var a = operands[0];
            var b = operands[1];
            return node.IsAnd ? (ref Evaluator ev) => a(ref ev) && b(ref ev) : (ref Evaluator ev) => a(ref ev) || b(ref ev);
        }
        if (node.IsAnd)
        {
            return (ref Evaluator ev) =>
            {
                foreach (var operand in operands)
                {
                    if (!operand(ref ev)) return false;
                }
                return true;
            };
        }
        return (ref Evaluator ev) =>
        {
            foreach (var operand in operands)
            {
                if (operand(ref ev)) return true;
            }
            return false;
        };
    }
}
