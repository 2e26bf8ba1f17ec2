using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>A generated expression text that is valid by construction.</summary>
public sealed record GeneratedExpression(string Text)
{
    public override string ToString() => Text;
}

/// <summary>Finite doubles of moderate size, where IEEE arithmetic is exact enough to state identities.</summary>
public sealed record Operand(double Value);

/// <summary>Generators for the property tests.</summary>
public static class ExpressionArbitraries
{
    private static readonly string[] Names = ["age", "price", "x", "_id", "$ref", "total2"];
    private static readonly string[] Fields = ["a", "b", "name", "tags", "length", "value"];

    public static Arbitrary<GeneratedExpression> Expressions() => Arb.From(Gen.Sized(size => Expression(Math.Min(size, 12) / 3)).Select(t => new GeneratedExpression(t)));

    public static Arbitrary<Operand> Operands() =>
        Arb.From(Gen.Choose(-1_000_000, 1_000_000).SelectMany(n => Gen.Choose(0, 1000), (n, d) => new Operand(n + (d / 1000.0))));

    // Sub-generators are built lazily so that building one does not build the whole tree of them.
    private static Gen<string> Expression(int depth) => depth <= 0 ? Atom() : Gen.Constant(0).SelectMany(_ => Composite(depth));

    private static Gen<string> Composite(int depth) => Gen.Frequency(
        (3, Atom()),
        (2, Postfix(depth)),
        (2, Chain(depth, ["+", "-", "*", "/", "%"])),
        (2, Chain(depth, ["&&", "||"])),
        (2, Comparison(depth)),
        (1, Expression(depth - 1).Select(e => $"-({e})")),
        (1, Expression(depth - 1).Select(e => $"!({e})")),
        (1, Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(p => Expression(depth - 1), (p, c) => $"({p.Item1}) ? ({p.Item2}) : ({c})")),
        (1, Call(depth)));

    private static Gen<string> Atom() => Gen.OneOf(
        Gen.Choose(0, 100_000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Choose(0, 10_000).Select(n => (n / 64.0).ToString("R", CultureInfo.InvariantCulture)),
        Gen.Elements("1e3", "2.5E-1", "0x1p-2", ".5", "Inf", "NaN"),
        Gen.Elements("'text'", "\"it's\"", "'say \"hi\"'", "'it''s'", "''", "'a || b'", "'x ? y : z'"),
        Gen.Elements("true", "false", "null", "input", "item", "index", "items", "accumulator"),
        Gen.Elements(Names),
        Gen.Elements("variables.x", "variables.max-price", "context.rate", "node.n1", "node.http-1", "node.2"),
        Gen.Elements(">= 18", "!= 3", "< 1e3"));

    private static Gen<string> Postfix(int depth) => Gen.OneOf(
        Gen.Zip(Expression(depth - 1), Gen.Elements(Fields)).Select(p => $"({p.Item1}).{p.Item2}"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).Select(p => $"({p.Item1})[{p.Item2}]"),
        Gen.Zip(Expression(depth - 1), Gen.Elements("trim()", "toUpperCase()", "first()", "reverse()")).Select(p => $"({p.Item1}).{p.Item2}"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).Select(p => $"({p.Item1}).includes({p.Item2})"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(p => Expression(depth - 1), (p, c) => $"({p.Item1}).replace({p.Item2}, {c})"));

    private static Gen<string> Chain(int depth, string[] operators) =>
        Gen.Choose(2, 4).SelectMany(n => Gen.ListOf(Gen.Zip(Gen.Elements(operators), Expression(depth - 1)), n), (_, parts) =>
            "(" + parts[0].Item2 + ")" + string.Concat(parts.Skip(1).Select(p => $" {p.Item1} ({p.Item2})")));

    private static Gen<string> Comparison(int depth) =>
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).SelectMany(_ => Gen.Elements("==", "!=", "<", "<=", ">", ">="), (p, op) => $"({p.Item1}) {op} ({p.Item2})");

    private static Gen<string> Call(int depth) => Gen.OneOf(
        Expression(depth - 1).Select(e => $"abs({e})"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).Select(p => $"pow({p.Item1}, {p.Item2})"),
        Gen.Zip(Expression(depth - 1), Expression(depth - 1)).Select(p => $"map({p.Item1}, {p.Item2})"),
        Gen.ListOf(Expression(depth - 1), 3).Select(l => $"max({string.Join(", ", l)})"),
        Gen.Constant("now()"));
}

/// <summary>Property tests: print-then-reparse gives the same AST; arithmetic obeys its identities.</summary>
[Properties(Arbitrary = [typeof(ExpressionArbitraries)], MaxTest = 300)]
public sealed class PropertyTests
{
    private static readonly ExpressionLimits Generous = new() { MaxLength = 1_000_000, MaxDepth = 64 };

    [Property]
    public bool Printing_then_reparsing_gives_the_same_ast(GeneratedExpression expression)
    {
        var parsed = ExpressionEngine.Parse(expression.Text, Generous);
        var printed = parsed.ToString();
        var reparsed = ExpressionEngine.Parse(printed, Generous);
        return AstComparer.Same(parsed.Root, reparsed.Root) && reparsed.ToString() == printed;
    }

    [Property]
    public bool Evaluating_never_throws_anything_but_expression_errors(GeneratedExpression expression)
    {
        var parsed = ExpressionEngine.Parse(expression.Text, Generous);
        var env = Expr.Env(variables: """{"x":2,"max-price":"9"}""", nodes: """{"n1":{"value":1},"http-1":[1],"2":"two"}""", context: """{"rate":0.5}""");
        var scope = ExpressionScope.ForElement(Expr.ParseJson("""{"age":3,"a":[1,"2"],"name":" n ","tags":["x"]}"""), Value.From(1.0), env)
            .WithItems(Expr.ParseJson("[1,2]")).WithAccumulator(Value.From(4.0));
        parsed.TryEvaluateValue(scope, out _, out _);
        parsed.TryEvaluateBoolean(scope, out _, out _);
        return true;
    }

    [Property]
    public bool Arithmetic_matches_IEEE_doubles(Operand a, Operand b)
    {
        var env = Expr.Env(variables: $$"""{"a":{{Json(a)}},"b":{{Json(b)}}}""");
        double Eval(string text) => Expr.Eval(text, env: env).AsNumber();
        return Eval("variables.a + variables.b") == a.Value + b.Value
            && Eval("variables.a - variables.b") == a.Value - b.Value
            && Eval("variables.a * variables.b") == a.Value * b.Value
            && (b.Value == 0 || Eval("variables.a / variables.b") == a.Value / b.Value);
    }

    [Property]
    public bool Arithmetic_identities_hold(Operand a, Operand b)
    {
        var env = Expr.Env(variables: $$"""{"a":{{Json(a)}},"b":{{Json(b)}}}""");
        bool Holds(string text) => Expr.Bool(text, env: env);
        return Holds("a + b == b + a")
            && Holds("a * b == b * a")
            && Holds("a + 0 == a")
            && Holds("a * 1 == a")
            && Holds("a - a == 0")
            && Holds("-(-a) == a")
            && Holds("-a == 0 - a")
            && Holds("abs(a) >= 0")
            && Holds("max(a, b) >= min(a, b)")
            && Holds("(a < b) || (a >= b)");
    }

    [Property]
    public bool Integer_remainder_has_the_sign_of_the_dividend(int x, int y)
    {
        if (y == 0) return true;
        var result = Expr.Eval($"{x} % {y}".Replace("--", "- -", StringComparison.Ordinal)).AsNumber();
        return result == x % y && Math.Abs(result) < Math.Abs((double)y);
    }

    [Property]
    public bool Number_literals_read_back_exactly(Operand a)
    {
        var magnitude = Math.Abs(a.Value);
        return Expr.Eval(magnitude.ToString("R", CultureInfo.InvariantCulture)).AsNumber() == magnitude;
    }

    private static string Json(Operand operand) => operand.Value.ToString("R", CultureInfo.InvariantCulture);
}
