using Thaiyyal.Engine.Expressions.Functions;

namespace Thaiyyal.Engine.Expressions.Compiled;

internal static partial class ExpressionCompiler
{
    private static ValueCode Member(MemberNode node)
    {
        // item.x and input.x, the usual first step of a path, read the scope directly.
        switch (node.Target.Kind)
        {
            case AstKind.Item:
                return (ref Evaluator ev, out Value value) => ev.TryMemberOf(node, ev.Item, out value);
            case AstKind.Input:
                return (ref Evaluator ev, out Value value) => ev.TryMemberOf(node, ev.Input, out value);
        }
        var target = CompileValue(node.Target);
        return (ref Evaluator ev, out Value value) =>
        {
            if (!target(ref ev, out var receiver))
            {
                value = default;
                return false;
            }
            return ev.TryMemberOf(node, receiver, out value);
        };
    }

    private static ValueCode Index(IndexNode node)
    {
        var target = CompileValue(node.Target);
        var index = CompileValue(node.IndexExpression);
        return (ref Evaluator ev, out Value value) =>
        {
            value = default;
            if (!target(ref ev, out var receiver)) return false;
            if (!index(ref ev, out var position)) return false;
            return ev.TryIndexOf(node, receiver, position, out value);
        };
    }

    private static ValueCode Ternary(TernaryNode node)
    {
        var condition = CompileCondition(node.Condition);
        var then = CompileValue(node.Then);
        var otherwise = CompileValue(node.Else);
        return (ref Evaluator ev, out Value value) => condition(ref ev) ? then(ref ev, out value) : otherwise(ref ev, out value);
    }

    private static ValueCode Call(CallNode node)
    {
        var function = node.Function;
        var body = function.Body;
        if (function.Mode == ArgumentMode.Lazy)
        {
            if (function.Name == "map")
            {
                var source = CompileValue(node.Arguments[0]);
                var item = CompileValue(node.Arguments[1]);
                return (ref Evaluator ev, out Value value) =>
                {
                    value = ArrayFunctions.Map(ref ev, node, new CompiledMapArguments(source, item));
                    return true;
                };
            }
            // A lazy function without a compiled form evaluates its own arguments, through the interpreter.
            return (ref Evaluator ev, out Value value) =>
            {
                value = body(ref ev, node, default);
                return true;
            };
        }
        var arguments = Array.ConvertAll(node.Arguments, CompileValue);
        var missingAsNull = function.Mode == ArgumentMode.MissingAsNull;
        return (ref Evaluator ev, out Value value) =>
        {
            var buffer = default(Evaluator.ArgumentBuffer);
            Span<Value> values = arguments.Length <= Evaluator.ArgumentBuffer.Size ? buffer[..arguments.Length] : new Value[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                if (arguments[i](ref ev, out var argument))
                {
                    values[i] = argument;
                }
                else if (missingAsNull)
                {
                    values[i] = default;
                }
                else
                {
                    value = default;
                    return false;
                }
            }
            value = body(ref ev, node, values);
            return true;
        };
    }

    private static ValueCode Method(MethodNode node)
    {
        var target = CompileValue(node.Target);
        var arguments = Array.ConvertAll(node.Arguments, CompileValue);
        var body = node.Method.Body;
        var name = node.Method.Name;
        return (ref Evaluator ev, out Value value) =>
        {
            value = default;
            if (!target(ref ev, out var receiver)) return false;
            if (receiver.IsNull) return ev.Miss(node, Evaluator.MissingReason.NullReceiver, name);
            var buffer = default(Evaluator.ArgumentBuffer);
            Span<Value> values = buffer[..arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                if (!arguments[i](ref ev, out values[i])) return false;
            }
            value = body(ref ev, node, receiver, values);
            return true;
        };
    }

    /// <summary><c>map()</c>'s arguments as compiled code: the item expression runs per element with that element as input.</summary>
    private readonly struct CompiledMapArguments(ValueCode source, ValueCode item) : IMapArguments
    {
        public bool TryEvaluateSource(ref Evaluator ev, out Value value) => source(ref ev, out value);

        public bool TryEvaluateItem(ref Evaluator ev, Value element, out Value value) => ev.TryEvaluateWithInput(item, element, out value);
    }
}
