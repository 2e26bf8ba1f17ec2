namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>How <c>map()</c> evaluates its two arguments (see <see cref="ArrayFunctions.Map{TArguments}"/>).</summary>
internal interface IMapArguments
{
    bool TryEvaluateSource(ref Evaluator ev, out Value source);

    /// <summary>The item expression with <paramref name="element"/> as <c>input</c> and <c>item</c>.</summary>
    bool TryEvaluateItem(ref Evaluator ev, Value element, out Value value);
}

/// <summary><c>map sort reverse unique flatten slice sample zip</c> (expressions.md §6.1).</summary>
internal static class ArrayFunctions
{
    public static IEnumerable<FunctionDefinition> Definitions =>
    [
        new("map", n => n == 2 ? null : "map() requires exactly 2 arguments: array expression and item expression", Map, ArgumentMode.Lazy),
        new("sort", FunctionDefinition.Exactly("sort", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
            Value.From(new ValueArray(Sorting.Sort(ref ev, RequireArray(ref ev, call, args[0]))))),
        new("reverse", FunctionDefinition.Exactly("reverse", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
        {
            var items = RequireArray(ref ev, call, args[0]).AsSpan().ToArray();
            Array.Reverse(items);
            return Value.From(new ValueArray(items));
        }),
        new("unique", FunctionDefinition.Exactly("unique", 1), Unique),
        new("flatten", FunctionDefinition.Exactly("flatten", 1), (ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args) =>
        {
            var results = new List<Value>();
            Flatten(ref ev, RequireArray(ref ev, call, args[0]), results, 0);
            return Value.From(new ValueArray([.. results]));
        }),
        new("slice", n => n is 2 or 3 ? null : $"slice() requires 2 or 3 arguments (array, start, [end]), got {n}", Slice),
        new("sample", n => n == 2 ? null : $"sample() requires exactly 2 arguments (array, n), got {n}", Sample),
        new("zip", FunctionDefinition.AtLeast("zip", 2, "array"), Zip),
    ];

    private static ValueArray RequireArray(ref Evaluator ev, CallNode call, Value value) =>
        value.TryGetArray(out var array) ? array : throw ev.Error(call, $"{call.Function.Name}() requires an array, got {value.GoTypeName}");

    private static Value Map(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> _) => Map(ref ev, call, new InterpretedMapArguments(call));

    /// <summary>
    /// <c>map(array, expression)</c> with its arguments evaluated by <typeparamref name="TArguments"/>: the interpreter
    /// walks the argument nodes, compiled code runs their delegates; everything else is this one body.
    /// </summary>
    internal static Value Map<TArguments>(ref Evaluator ev, CallNode call, TArguments arguments) where TArguments : struct, IMapArguments
    {
        if (!arguments.TryEvaluateSource(ref ev, out var source))
            throw ev.Error(call, $"map() first argument evaluation failed: {ev.MissingError().Problem}");
        if (!source.TryGetArray(out var array)) throw ev.Error(call, $"map() first argument must be an array, got {source.GoTypeName}");
        var itemExpression = call.Arguments[1];
        var results = new Value[array.Count];
        for (var i = 0; i < results.Length; i++)
        {
            Limits.CheckCancelled(ref ev, i);
            if (!arguments.TryEvaluateItem(ref ev, array[i], out results[i]))
                throw ev.Error(itemExpression, $"map() item expression failed: {ev.MissingError().Problem}");
        }
        return Value.From(new ValueArray(results));
    }

    private readonly struct InterpretedMapArguments(CallNode call) : IMapArguments
    {
        public bool TryEvaluateSource(ref Evaluator ev, out Value source) => ev.TryEvaluate(call.Arguments[0], out source);

        public bool TryEvaluateItem(ref Evaluator ev, Value element, out Value value) => ev.TryEvaluateWithInput(call.Arguments[1], element, out value);
    }

    private static Value Unique(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args)
    {
        var array = RequireArray(ref ev, call, args[0]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<Value>();
        for (var i = 0; i < array.Count; i++)
        {
            Limits.CheckCancelled(ref ev, i);
            if (seen.Add(Compatibility.GoValueText.ToGoString(array[i]))) results.Add(array[i]);
        }
        return Value.From(new ValueArray([.. results]));
    }

    private static void Flatten(ref Evaluator ev, ValueArray array, List<Value> results, int depth)
    {
        // Values are at most MaxJsonDepth deep, so this recursion is bounded.
        foreach (var element in array)
        {
            if (element.TryGetArray(out var inner))
            {
                Flatten(ref ev, inner, results, depth + 1);
            }
            else
            {
                results.Add(element);
                Limits.CheckArray(ref ev, results.Count);
                Limits.CheckCancelled(ref ev, results.Count);
            }
        }
    }

    private static Value Slice(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args)
    {
        if (!args[0].TryGetArray(out var array)) throw ev.Error(call, $"slice() first argument must be an array, got {args[0].GoTypeName}");
        if (!ValueSemantics.TryToNumber(args[1], out var startNumber)) throw ev.Error(call, $"slice() start must be numeric, got {args[1].GoTypeName}");
        var count = array.Count;
        var start = Clamp(startNumber, count);
        var end = count;
        if (args.Length == 3)
        {
            if (!ValueSemantics.TryToNumber(args[2], out var endNumber)) throw ev.Error(call, $"slice() end must be numeric, got {args[2].GoTypeName}");
            end = Clamp(endNumber, count);
        }
        if (start >= end) return Value.From(ValueArray.Empty);
        return Value.From(new ValueArray(array.AsSpan()[start..end].ToArray()));
    }

    /// <summary>Truncates, counts negative positions from the end, clamps to [0, count].</summary>
    private static int Clamp(double position, int count)
    {
        var p = Math.Truncate(position);
        if (double.IsNaN(p)) return 0;
        if (p < 0) p += count;
        return (int)Math.Clamp(p, 0, count);
    }

    private static Value Sample(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args)
    {
        if (!args[0].TryGetArray(out var array)) throw ev.Error(call, $"sample() first argument must be an array, got {args[0].GoTypeName}");
        if (!ValueSemantics.TryToNumber(args[1], out var n)) throw ev.Error(call, $"sample() n must be numeric, got {args[1].GoTypeName}");
        n = Math.Truncate(n);
        if (n < 0 || double.IsNaN(n)) throw ev.Error(call, $"sample() n must be non-negative, got {Compatibility.GoFloatText.ToGo(n)}");
        if (n == 0) return Value.From(ValueArray.Empty);
        var count = array.Count;
        if (n >= count)
        {
            // Deterministic permutation, as in the original: swap i with (i+1)/2 from the end down.
            var copy = array.AsSpan().ToArray();
            for (var i = count - 1; i >= 1; i--) (copy[i], copy[(i + 1) / 2]) = (copy[(i + 1) / 2], copy[i]);
            return Value.From(new ValueArray(copy));
        }
        var take = (int)n;
        var step = count / take;
        var results = new Value[take];
        for (var i = 0; i < take; i++) results[i] = array[i * step];
        return Value.From(new ValueArray(results));
    }

    private static Value Zip(ref Evaluator ev, CallNode call, ReadOnlySpan<Value> args)
    {
        var arrays = new ValueArray[args.Length];
        var longest = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].TryGetArray(out var array)) throw ev.Error(call, $"zip() argument {i} must be an array, got {args[i].GoTypeName}");
            arrays[i] = array;
            longest = Math.Max(longest, array.Count);
        }
        var tuples = new Value[longest];
        for (var row = 0; row < longest; row++)
        {
            Limits.CheckCancelled(ref ev, row);
            var tuple = new Value[arrays.Length];
            for (var column = 0; column < arrays.Length; column++)
            {
                tuple[column] = row < arrays[column].Count ? arrays[column][row] : Value.Null;
            }
            tuples[row] = Value.From(new ValueArray(tuple));
        }
        return Value.From(new ValueArray(tuples));
    }
}
