namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>
/// <c>avg sum round floor ceil abs min max pow sqrt</c>. The rounding functions work element-wise on arrays;
/// <c>avg sum min max</c> take one array or several numbers (expressions.md §5.2, §6.1).
/// </summary>
internal static class MathFunctions
{
    public static IEnumerable<FunctionDefinition> Definitions =>
    [
        new("avg", FunctionDefinition.AtLeast("avg", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Aggregate(ref ev, call, args, average: true)),
        new("sum", FunctionDefinition.AtLeast("sum", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Aggregate(ref ev, call, args, average: false)),
        new("round", FunctionDefinition.Exactly("round", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            ElementWise(ref ev, call, args[0], x => Math.Round(x, MidpointRounding.AwayFromZero))),
        new("floor", FunctionDefinition.Exactly("floor", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => ElementWise(ref ev, call, args[0], Math.Floor)),
        new("ceil", FunctionDefinition.Exactly("ceil", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => ElementWise(ref ev, call, args[0], Math.Ceiling)),
        new("abs", FunctionDefinition.Exactly("abs", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => ElementWise(ref ev, call, args[0], Math.Abs)),
        new("min", FunctionDefinition.AtLeast("min", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Extreme(ref ev, call, args, max: false)),
        new("max", FunctionDefinition.AtLeast("max", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) => Extreme(ref ev, call, args, max: true)),
        new("pow", FunctionDefinition.Exactly("pow", 2), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(Math.Pow(Number(ref ev, call, 0, args[0]), Number(ref ev, call, 1, args[1])))),
        new("sqrt", FunctionDefinition.Exactly("sqrt", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
        {
            var x = Number(ref ev, call, 0, args[0]);
            return x < 0 ? throw ev.Error(call, "sqrt() of negative number") : Value.From(Math.Sqrt(x));
        }),
    ];

    /// <summary>An argument that must be numeric, with the arithmetic error text when it is not.</summary>
    private static double Number(ref Evaluator ev, CallNode call, int index, Value value)
    {
        if (ValueSemantics.TryToNumber(value, out var number)) return number;
        var argument = call.Arguments[index];
        throw ev.ErrorAt(argument.Start, $"value '{Compatibility.GoValueText.ToGoString(value)}' at '{ev.SourceOf(argument)}' cannot be converted to number");
    }

    private static Value Aggregate(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args, bool average)
    {
        var name = call.Function.Name;
        double total = 0;
        int count;
        if (args.Length == 1 && args[0].TryGetArray(out var array))
        {
            if (array.Count == 0)
            {
                if (average) throw ev.Error(call, "avg() on empty array");
                return Value.From(0.0);
            }
            foreach (var element in array)
            {
                if (!ValueSemantics.TryToNumber(element, out var x)) throw ev.Error(call, $"{name}() encountered non-numeric element: {element.GoTypeName}");
                total += x;
            }
            count = array.Count;
        }
        else
        {
            foreach (var arg in args)
            {
                if (!ValueSemantics.TryToNumber(arg, out var x)) throw ev.Error(call, $"{name}() requires numeric values, got {arg.GoTypeName}");
                total += x;
            }
            count = args.Length;
        }
        return Value.From(average ? total / count : total);
    }

    private static Value ElementWise(ref Evaluator ev, CallNode call, Value arg, Func<double, double> apply)
    {
        var name = call.Function.Name;
        if (arg.TryGetArray(out var array))
        {
            var results = new Value[array.Count];
            for (var i = 0; i < results.Length; i++)
            {
                if (!ValueSemantics.TryToNumber(array[i], out var x)) throw ev.Error(call, $"{name}() encountered non-numeric element: {array[i].GoTypeName}");
                results[i] = Value.From(apply(x));
            }
            return Value.From(new ValueArray(results));
        }
        if (!ValueSemantics.TryToNumber(arg, out var number)) throw ev.Error(call, $"{name}() requires numeric value, got {arg.GoTypeName}");
        return Value.From(apply(number));
    }

    private static Value Extreme(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args, bool max)
    {
        var name = call.Function.Name;
        double best;
        if (args.Length == 1)
        {
            if (!args[0].TryGetArray(out var array)) throw ev.Error(call, $"{name}() requires at least 2 arguments or an array, got 1 non-array value");
            if (array.Count == 0) throw ev.Error(call, $"{name}() on empty array");
            best = max ? double.NegativeInfinity : double.PositiveInfinity;
            foreach (var element in array)
            {
                if (!ValueSemantics.TryToNumber(element, out var x)) throw ev.Error(call, $"{name}() encountered non-numeric element: {element.GoTypeName}");
                best = Pick(best, x, max);
            }
            return Value.From(best);
        }
        best = max ? double.NegativeInfinity : double.PositiveInfinity;
        foreach (var arg in args)
        {
            if (!ValueSemantics.TryToNumber(arg, out var x)) throw ev.Error(call, $"{name}() requires numeric values, got {arg.GoTypeName}");
            best = Pick(best, x, max);
        }
        return Value.From(best);
    }

    private static double Pick(double best, double x, bool max) => max ? (x > best ? x : best) : (x < best ? x : best);
}
