using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Shorthands for expression tests: JSON in, value or boolean out.</summary>
internal static class Expr
{
    public static Value ParseJson(string json) => ValueJson.Parse(json);

    public static ExpressionEnvironment Env(string? variables = null, string? nodes = null, string? context = null) =>
        ExpressionEnvironment.FromValues(ToMap(variables), ToMap(nodes), ToMap(context));

    public static Value Eval(string expression, string input = "null", ExpressionEnvironment? env = null) =>
        ExpressionEngine.Parse(expression).EvaluateValue(new ExpressionScope(ParseJson(input), env));

    public static bool Bool(string expression, string input = "null", ExpressionEnvironment? env = null) =>
        ExpressionEngine.Parse(expression).EvaluateBoolean(new ExpressionScope(ParseJson(input), env));

    /// <summary>Evaluates and writes the result as compact JSON (sorted keys), for comparing with expected JSON text.</summary>
    public static string EvalJson(string expression, string input = "null", ExpressionEnvironment? env = null) =>
        ValueJson.Serialize(Eval(expression, input, env));

    public static ExpressionException Error(string expression, string input = "null", ExpressionEnvironment? env = null) =>
        Assert.Throws<ExpressionException>(() => Eval(expression, input, env));

    private static Dictionary<string, Value>? ToMap(string? json)
    {
        if (json is null) return null;
        var map = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (k, v) in ParseJson(json).AsObject()) map[k] = v;
        return map;
    }
}
