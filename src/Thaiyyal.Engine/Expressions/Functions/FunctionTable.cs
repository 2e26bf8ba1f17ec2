namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>
/// The 34 global functions: 16 value functions, <c>pow</c> and <c>sqrt</c>, 15 date and null functions and
/// <c>contains</c>. Names are looked up at parse time, so an unknown function is a syntax error, not a silent false.
/// </summary>
internal static class FunctionTable
{
    private static readonly Dictionary<string, FunctionDefinition> ByName =
        MathFunctions.Definitions
            .Concat(ArrayFunctions.Definitions)
            .Concat(DateFunctions.Definitions)
            .Concat(NullAndTextFunctions)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every function, for documentation and tests.</summary>
    public static IReadOnlyCollection<FunctionDefinition> All => ByName.Values;

    public static FunctionDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    private static IEnumerable<FunctionDefinition> NullAndTextFunctions =>
    [
        new("isNull", FunctionDefinition.Exactly("isNull", 1), (ref Evaluator _, CallNode _, ReadOnlySpan<Value> args) =>
            Value.From(args[0].IsNull), ArgumentMode.MissingAsNull),
        new("coalesce", FunctionDefinition.AtLeast("coalesce", 1), (ref Evaluator _, CallNode _, ReadOnlySpan<Value> args) =>
        {
            foreach (var arg in args)
            {
                if (!arg.IsNull) return arg;
            }
            return Value.Null;
        }, ArgumentMode.MissingAsNull),
        new("contains", n => n == 2 ? null : "contains() requires exactly 2 arguments", (ref Evaluator _, CallNode _, ReadOnlySpan<Value> args) =>
            Value.From(Compatibility.GoValueText.ToGoString(args[0]).Contains(Compatibility.GoValueText.ToGoString(args[1]), StringComparison.Ordinal))),
    ];
}
