using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>An expression text (valid by construction) and what it is evaluated against.</summary>
public sealed record EquivalenceCase(string Expression, EvaluationContext Context)
{
    public override string ToString() => $"{Expression}  against  {Context}";
}

/// <summary>The input, the names a node binds and the environment of one generated evaluation.</summary>
public sealed record EvaluationContext(Value Input, Value? Index, Value? Items, Value? Accumulator, Value Variables, Value NodeResults, Value ContextValues)
{
    // A fixed clock, so now() gives the same instant to both evaluators.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero));

    // Small array and string limits, so that the generated split()/join()/replace() calls can reach them too.
    private static readonly ExecutionLimits Limits = ExecutionLimits.Default with { MaxArrayLength = 6, MaxStringLength = 40 };

    public ExpressionScope Scope()
    {
        var environment = ExpressionEnvironment.FromValues(Map(Variables), Map(NodeResults), Map(ContextValues), Limits, Clock);
        var scope = Index is { } index ? ExpressionScope.ForElement(Input, index, environment) : new ExpressionScope(Input, environment);
        if (Items is { } items) scope = scope.WithItems(items);
        if (Accumulator is { } accumulator) scope = scope.WithAccumulator(accumulator);
        return scope;
    }

    public override string ToString() =>
        $"input={Input} index={Index?.ToString() ?? "-"} items={Items?.ToString() ?? "-"} accumulator={Accumulator?.ToString() ?? "-"} " +
        $"variables={Variables} nodes={NodeResults} context={ContextValues}";

    private static Dictionary<string, Value> Map(Value obj)
    {
        var map = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in obj.AsObject()) map[key] = value;
        return map;
    }
}

/// <summary>
/// Generators for <see cref="CompiledEquivalenceTests"/>: expressions over every kind of syntax node, the functions
/// and methods (including the literal comparisons the compiler specialises), and contexts whose values have every
/// kind, numeric and non-numeric texts among them, with names bound or not.
/// </summary>
public static class EquivalenceArbitraries
{
    private static readonly string[] Fields = ["a", "b", "name", "tags", "length", "value", "price", "status"];
    private static readonly string[] Names = ["a", "b", "x", "price", "status", "max-price"];

    public static Arbitrary<EquivalenceCase> Cases() =>
        Arb.From(Gen.Sized(size => Expression(Math.Min(size, 15) / 3)).SelectMany(_ => Context(), (text, context) => new EquivalenceCase(text, context)));

    private static Gen<string> Expression(int depth) => depth <= 0 ? Atom() : Gen.Constant(0).SelectMany(_ => Composite(depth));

    private static Gen<string> Composite(int depth) => Gen.Frequency(
        (3, Atom()),
        (3, Postfix(depth)),
        (2, Chain(depth, ["+", "-", "*", "/", "%"])),
        (2, Chain(depth, ["&&", "||"])),
        (2, Comparison(depth)),
        (3, LiteralComparison(depth)),
        (1, Expression(depth - 1).Select(e => $"-({e})")),
        (1, Expression(depth - 1).Select(e => $"+({e})")),
        (1, Expression(depth - 1).Select(e => $"!({e})")),
        (1, Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(_ => Expression(depth - 1), (p, c) => $"({p.Item1}) ? ({p.Item2}) : ({c})")),
        (3, Call(depth)));

    private static Gen<string> Atom() => Gen.Frequency(
        (2, Gen.Elements("0", "1", "2", "3", "-1", "2.5", "100", "1e3", "0x1p-2", "Inf", "NaN")),
        (2, Gen.Elements("'paid'", "'open'", "'5'", "' 7 '", "''", "'a,b'", "'1e3'", "'x'")),
        (1, Gen.Elements("true", "false", "null")),
        (4, Gen.Elements("input", "item", "index", "items", "accumulator")),
        (3, Gen.Elements(Names)),
        (3, Gen.Elements(Fields).Select(f => $"item.{f}")),
        (2, Gen.Elements("variables.x", "variables.max-price", "variables.item", "variables.input", "context.rate", "context.none", "node.n1", "node.http-1", "node.2", "node.none")),
        (1, Gen.Elements(">= 1", "!= 'paid'", "< 1e3", "== null", "> item.a")));

    private static Gen<string> Postfix(int depth) => Gen.OneOf(
        Gen.Zip(Expression(depth - 1), Gen.Elements(Fields)).Select(p => $"({p.Item1}).{p.Item2}"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).Select(p => $"({p.Item1})[{p.Item2}]"),
        Gen.Zip(Expression(depth - 1), Gen.Elements("trim()", "toUpperCase()", "toLowerCase()", "first()", "last()", "reverse()")).Select(p => $"({p.Item1}).{p.Item2}"),
        Gen.Zip(Expression(depth - 1), Gen.Elements("includes", "startsWith", "endsWith", "split", "join")).SelectMany(_ => Expression(depth - 1),
            (p, a) => $"({p.Item1}).{p.Item2}({a})"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(_ => Expression(depth - 1), (p, c) => $"({p.Item1}).replace({p.Item2}, {c})"));

    private static Gen<string> Chain(int depth, string[] operators) =>
        Gen.Choose(2, 4).SelectMany(n => Gen.ListOf(Gen.Zip(Gen.Elements(operators), Expression(depth - 1)), n), (_, parts) =>
            "(" + parts[0].Item2 + ")" + string.Concat(parts.Skip(1).Select(p => $" {p.Item1} ({p.Item2})")));

    private static readonly string[] ComparisonOperators = ["==", "!=", "<", "<=", ">", ">="];

    private static Gen<string> Comparison(int depth) =>
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(_ => Gen.Elements(ComparisonOperators), (p, op) => $"({p.Item1}) {op} ({p.Item2})");

    /// <summary>A literal on the right, bare: the shapes the compiler gives their own comparisons (and the shorthand).</summary>
    private static Gen<string> LiteralComparison(int depth) =>
        Gen.Zip(Expression(depth - 1), Gen.Elements(ComparisonOperators))
            .SelectMany(_ => Gen.Elements("0", "1", "3", "100", "-2.5", "NaN", "Inf", "'paid'", "'5'", "''", "' 7 '", "null", "true"),
                (p, literal) => (p.Item1, p.Item2, literal))
            .SelectMany(_ => Gen.Elements(0, 1, 2), (t, shape) => shape switch
            {
                0 => $"({t.Item1}) {t.Item2} {t.literal}",
                1 => $"{t.Item2} {t.literal}",
                _ => $"({t.Item1}) * 2 {t.Item2} {t.literal}",
            });

    private static Gen<string> Call(int depth)
    {
        var one = Expression(depth - 1);
        return Gen.OneOf(
            Gen.Zip(Gen.Elements("abs", "round", "floor", "ceil", "sqrt", "sum", "avg", "min", "max", "isNull", "coalesce", "sort", "reverse",
                "unique", "flatten", "year", "toEpoch", "fromEpoch", "parseDate"), one).Select(p => $"{p.Item1}({p.Item2})"),
            Gen.Zip(Gen.Elements("pow", "contains", "slice", "sample", "zip", "coalesce", "max", "dateAdd", "dateDiff", "map"), Gen.Zip(one, one))
                .Select(p => $"{p.Item1}({p.Item2.Item1}, {p.Item2.Item2})"),
            Gen.ListOf(one, 3).Select(l => $"sum({string.Join(", ", l)})"),
            Gen.Elements("map(items, item * 2)", "map(input, item.a)", "map(items, index)", "now()", "hour(now())"));
    }

    /// <summary>Values of every kind: numbers, numeric and other texts, booleans, null, arrays and objects.</summary>
    private static Gen<Value> Atomic() => Gen.Elements(
        Value.From(0.0), Value.From(1.0), Value.From(3.0), Value.From(-2.5), Value.From(100.0), Value.FromInteger(2),
        Value.From("paid"), Value.From("5"), Value.From(" 7 "), Value.From(""), Value.From("a,b"), Value.From("2026-01-15T10:30:00Z"),
        Value.True, Value.False, Value.Null);

    private static Gen<Value> Data(int depth) => depth <= 0 ? Atomic() : Gen.Frequency(
        (4, Atomic()),
        (1, Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Data(depth - 1), n), (_, list) => Value.From(new ValueArray([.. list])))),
        (2, Object(depth)));

    private static Gen<Value> Object(int depth) =>
        Gen.SubListOf(Fields).SelectMany(keys => Gen.ListOf(Data(depth - 1), keys.Count), (keys, values) =>
            Value.From(ValueObject.Of([.. keys.Select((k, i) => (k, values[i]))])));

    private static Gen<Value?> Optional(Gen<Value> gen) => Gen.Frequency((1, Gen.Constant<Value?>(null)), (2, gen.Select(v => (Value?)v)));

    private static Gen<Value> NamedValues(string[] names) =>
        Gen.SubListOf(names).SelectMany(keys => Gen.ListOf(Data(1), keys.Count), (keys, values) =>
            Value.From(ValueObject.Of([.. keys.Select((k, i) => (k, values[i]))])));

    private static Gen<EvaluationContext> Context() =>
        from input in Data(2)
        from index in Optional(Gen.Elements(Value.From(0.0), Value.From(1.0), Value.From(2.0)))
        from items in Optional(Data(2))
        from accumulator in Optional(Data(1))
        from variables in NamedValues(["x", "max-price", "a", "price", "item", "input"])
        from nodes in NamedValues(["n1", "http-1", "2"])
        from context in NamedValues(["rate"])
        select new EvaluationContext(input, index, items, accumulator, variables, nodes, context);
}

/// <summary>
/// The compiled form of an expression gives exactly what the tree-walking evaluator gives: the same value (kind
/// included), the same condition, or the same error with the same message, on generated expressions and contexts.
/// </summary>
[Properties(Arbitrary = [typeof(EquivalenceArbitraries)], MaxTest = 2000)]
public sealed class CompiledEquivalenceTests
{
    private static readonly ExpressionLimits Generous = new() { MaxLength = 1_000_000, MaxDepth = 64 };

    [Property]
    public Property Compiled_values_equal_interpreted_values(EquivalenceCase c)
    {
        var expression = ExpressionEngine.Parse(c.Expression, Generous);
        var scope = c.Context.Scope();
        var compiled = Outcome(() => expression.EvaluateValue(scope));
        var interpreted = Outcome(() => expression.InterpretValue(scope));
        return (compiled == interpreted).Label($"compiled: {compiled}\ninterpreted: {interpreted}");
    }

    [Property]
    public Property Compiled_conditions_equal_interpreted_conditions(EquivalenceCase c)
    {
        var expression = ExpressionEngine.Parse(c.Expression, Generous);
        var scope = c.Context.Scope();
        var compiled = Outcome(() => Value.From(expression.EvaluateBoolean(scope)));
        var interpreted = Outcome(() => Value.From(expression.InterpretBoolean(scope)));
        return (compiled == interpreted).Label($"compiled: {compiled}\ninterpreted: {interpreted}");
    }

    [Property(MaxTest = 500)]
    public Property The_non_throwing_forms_agree_too(EquivalenceCase c)
    {
        var expression = ExpressionEngine.Parse(c.Expression, Generous);
        var scope = c.Context.Scope();
        var compiled = TryOutcome(expression, scope, interpret: false);
        var interpreted = TryOutcome(expression, scope, interpret: true);
        return (compiled == interpreted).Label($"compiled: {compiled}\ninterpreted: {interpreted}");
    }

    /// <summary>
    /// An <see cref="ElementLoop"/> (filter, map, reduce, find, partition: one evaluator moved from element to element)
    /// gives for every element what a new scope per element gives, errors and missing values included, also after
    /// an element whose evaluation failed or ran <c>map()</c>.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property An_element_loop_gives_what_a_new_scope_per_element_gives(EquivalenceCase c)
    {
        var expression = ExpressionEngine.Parse(c.Expression, Generous);
        var context = c.Context;
        var environment = context.Scope().Environment;
        Value[] elements = [context.Input, context.Items ?? Value.Null, context.Variables, context.NodeResults, context.Input];
        ExpressionScope Scope(Value element, Value index, Value? accumulator)
        {
            var scope = ExpressionScope.ForElement(element, index, environment);
            if (context.Items is { } items) scope = scope.WithItems(items);
            return accumulator is { } bound ? scope.WithAccumulator(bound) : scope;
        }
        var values = new ElementLoop(expression, environment, context.Items, context.Accumulator);
        var conditions = new ElementLoop(expression, environment, context.Items, context.Accumulator);
        var expected = new List<string>();
        var actual = new List<string>();
        for (var i = 0; i < elements.Length; i++)
        {
            var index = Value.From((double)i);
            // A reduce gives each step another accumulator; the condition loop keeps the first one.
            Value? accumulator = context.Accumulator is null ? null : (Value?)elements[(i + 1) % elements.Length];
            expected.Add(Text(TryOutcome(expression, Scope(elements[i], index, accumulator), interpret: false)) + " / "
                         + Text(TryOutcome(expression, Scope(elements[i], index, context.Accumulator), interpret: false)));
            actual.Add(LoopOutcome(ref values, ref conditions, elements[i], index, accumulator));
        }
        return expected.SequenceEqual(actual).Label($"new scope per element:\n{string.Join("\n", expected)}\nelement loop:\n{string.Join("\n", actual)}");
    }

    private static string Text(Result result) => result.Error ?? result.Json!.Split(" | ")[0] + " | " + result.Json.Split(" | ")[1];

    private static string LoopOutcome(ref ElementLoop values, ref ElementLoop conditions, Value element, Value index, Value? accumulator)
    {
        string value, condition;
        try
        {
            var hasValue = accumulator is { } bound
                ? values.TryValue(element, index, bound, out var v, out var error)
                : values.TryValue(element, index, out v, out error);
            value = hasValue ? Describe(v) : error!.Message;
            // TryOutcome reads both forms from one scope; the loop that gives the value gives its condition too.
            var hasCondition = values.TryCondition(element, index, out var flag, out var conditionError);
            value += " | " + (hasCondition ? flag : conditionError!.Message);
        }
        catch (ExecutionLimitException e)
        {
            value = $"{e.GetType().Name}: {e.Message}";
        }
        try
        {
            var hasValue = conditions.TryValue(element, index, out var v, out var error);
            var hasCondition = conditions.TryCondition(element, index, out var flag, out var conditionError);
            condition = (hasValue ? Describe(v) : error!.Message) + " | " + (hasCondition ? flag : conditionError!.Message);
        }
        catch (ExecutionLimitException e)
        {
            condition = $"{e.GetType().Name}: {e.Message}";
        }
        return value + " / " + condition;
    }

    /// <summary>The generators do reach both values and errors, so the properties above compare both.</summary>
    [Fact]
    public void The_generated_cases_give_values_and_errors_of_every_kind()
    {
        var outcomes = new[] { 0, 3, 6, 9, 12 }.SelectMany(size => EquivalenceArbitraries.Cases().Generator.Resize(size).Sample(300))
            .Select(c => Outcome(() => ExpressionEngine.Parse(c.Expression, Generous).EvaluateValue(c.Context.Scope())))
            .ToList();
        Assert.Contains(outcomes, o => o.Error is null && o.Kind == ValueKind.Number);
        Assert.Contains(outcomes, o => o.Error is null && o.Kind == ValueKind.Bool);
        Assert.Contains(outcomes, o => o.Error is null && o.Kind == ValueKind.String);
        Assert.Contains(outcomes, o => o.Error is null && o.Kind == ValueKind.Array);
        Assert.Contains(outcomes, o => o.Error?.StartsWith("ExpressionException: field not found", StringComparison.Ordinal) == true);
        Assert.Contains(outcomes, o => o.Error?.Contains("cannot be converted to number", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("item.price * item.qty > 100 && item.status == \"paid\"")]
    [InlineData("item.status != 'paid' || item.price >= '5'")]
    [InlineData(">= 18")]
    [InlineData("item.missing == null")]
    [InlineData("null != item.missing")]
    [InlineData("item.price / item.qty")]
    [InlineData("item.price % 0")]
    [InlineData("item.status * 2")]
    [InlineData("map(items, item.price * index)")]
    [InlineData("map(items, item.nothing)")]
    [InlineData("round(avg(map(items, item.price)))")]
    [InlineData("year(item.status)")]
    [InlineData("items[5].price")]
    [InlineData("items[-1]")]
    [InlineData("item.status.toUpperCase().split('').join('-')")]
    [InlineData("coalesce(item.none, variables.none, 3)")]
    [InlineData("nothing")]
    public void Known_shapes_agree(string text)
    {
        var expression = ExpressionEngine.Parse(text);
        var orders = Expr.ParseJson("""[{"price":12.5,"qty":10,"status":"paid"},{"price":"3","qty":0,"status":"open"},{"price":7,"qty":2}]""");
        var environment = Expr.Env(variables: """{"limit":100}""");
        var items = orders.AsArray();
        for (var i = 0; i < items.Count; i++)
        {
            var scope = ExpressionScope.ForElement(items[i], Value.From((double)i), environment).WithItems(orders);
            Assert.Equal(Outcome(() => expression.InterpretValue(scope)), Outcome(() => expression.EvaluateValue(scope)));
            Assert.Equal(Outcome(() => Value.From(expression.InterpretBoolean(scope))), Outcome(() => Value.From(expression.EvaluateBoolean(scope))));
        }
    }

    /// <summary>A value with its kind (numbers and integer counts are equal as values but print differently), or the error.</summary>
    internal readonly record struct Result(ValueKind Kind, string? Json, string? Error)
    {
        public override string ToString() => Error ?? $"{Kind} {Json}";
    }

    internal static Result Outcome(Func<Value> evaluate)
    {
        try
        {
            var value = evaluate();
            return new Result(value.Kind, Describe(value), null);
        }
        catch (Exception e) when (e is ExpressionException or ExecutionLimitException)
        {
            return new Result(default, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static Result TryOutcome(ParsedExpression expression, in ExpressionScope scope, bool interpret)
    {
        try
        {
            var hasValue = expression.TryEvaluateValue(scope, interpret, out var value, out var error);
            var hasCondition = expression.TryEvaluateBoolean(scope, interpret, out var condition, out var conditionError);
            return new Result(value.Kind, $"{(hasValue ? Describe(value) : error!.Message)} | {(hasCondition ? condition : conditionError!.Message)}", null);
        }
        catch (ExecutionLimitException e)
        {
            return new Result(default, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The value as text with every kind marked (JSON would write NaN as null and lose integer counts).</summary>
    private static string Describe(Value value) => value.Kind switch
    {
        ValueKind.Number => value.AsNumber().ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Integer => "int " + value.AsNumber().ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Array => "[" + string.Join(", ", value.AsArray().Select(Describe)) + "]",
        ValueKind.Object => "{" + string.Join(", ", value.AsObject().SortedKeys.Select(k => $"{k}: {Describe(value.AsObject()[k])}")) + "}",
        ValueKind.Timestamp => "time " + value.AsTimestamp().ToString("O", CultureInfo.InvariantCulture),
        _ => ValueJson.Serialize(value),
    };
}
