using System.Text;
using FsCheck.Xunit;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>
/// Random and mutated text: the parser and evaluator may only ever throw <see cref="ExpressionException"/>, and the
/// compiled form agrees with the interpreter on whatever parses.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Corpus =
    [
        "item.price * item.qty > 100 && item.status == \"paid\"",
        "round(avg(map(input, item.age))) + 2",
        "input > 90 ? 'A' : input > 70 ? 'B' : 'C'",
        "(node.a.value + (node.b.value * 5)) > pow(variables.foo, 2)",
        "!item.tags.includes('deprecated') || >= 18",
        "item.users[0].tags[1] == 'verified' && isNull(item.x)",
        "slice(sort(unique(flatten(items))), -2, 10)",
        "year(parseDate('2024-01-15T10:30:00Z')) - 0x1p-2 % 3",
        "context.rate * variables.base + node.http-1.status",
        "item.text.split(',').reverse().join('-').toUpperCase()",
        "zip(items, sample(items, 2), map(items, index))",
        "'it''s' == \"it's\" ? coalesce(null, accumulator) : -Inf",
    ];

    private const string Alphabet = "abcxyz_$019.,()[]'\"+-*/%<>=!&|?: \t\nInfNaNe";

    private static readonly ExpressionEnvironment Environment = Expr.Env(
        variables: """{"foo":3,"base":2}""", nodes: """{"a":{"value":10},"b":{"value":5},"http-1":{"status":200}}""", context: """{"rate":0.5}""");

    private static readonly ExpressionScope Scope = ExpressionScope
        .ForElement(Expr.ParseJson("""{"price":20,"qty":6,"status":"paid","tags":["a"],"users":[{"tags":["x","verified"]}],"text":"a,b"}"""), Value.From(0.0), Environment)
        .WithItems(Expr.ParseJson("""[3,[1,2],"x",null]""")).WithAccumulator(Value.From(1.0));

    [Fact]
    public void Mutated_expressions_fail_only_with_expression_errors()
    {
        var random = new Random(20240115);
        var parsedCount = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Mutate(Corpus[random.Next(Corpus.Length)], random);
            if (Exercise(text)) parsedCount++;
        }
        // The mutations are mild enough that a fair share still parses and reaches the evaluator.
        Assert.InRange(parsedCount, 1_000, 19_000);
    }

    [Fact]
    public void Random_text_fails_only_with_expression_errors()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var sb = new StringBuilder();
            var length = random.Next(0, 40);
            for (var j = 0; j < length; j++) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            Exercise(sb.ToString());
        }
    }

    [Property(MaxTest = 2000)]
    public bool Arbitrary_strings_fail_only_with_expression_errors(string? text)
    {
        Exercise(text ?? "");
        return true;
    }

    /// <summary>
    /// Parses and, when that works, evaluates as a value and as a condition, compiled and interpreted; the two must
    /// agree on the value (kind included) or on the error message. True when it parsed.
    /// </summary>
    private static bool Exercise(string text)
    {
        ParsedExpression parsed;
        try
        {
            parsed = ExpressionEngine.Parse(text);
        }
        catch (ExpressionException e)
        {
            Assert.Equal(text, e.Expression);
            Assert.InRange(e.Column, 1, text.Length + 1);
            return false;
        }
        var hasValue = parsed.TryEvaluateValue(Scope, interpret: false, out var value, out var valueError);
        Assert.Equal(hasValue, parsed.TryEvaluateValue(Scope, interpret: true, out var reference, out var referenceError));
        if (hasValue) Assert.True(value.Kind == reference.Kind && value.Equals(reference), $"{text}: compiled {value}, interpreted {reference}");
        else Assert.Equal(referenceError!.Message, valueError!.Message);
        var hasCondition = parsed.TryEvaluateBoolean(Scope, interpret: false, out var condition, out var conditionError);
        Assert.Equal(hasCondition, parsed.TryEvaluateBoolean(Scope, interpret: true, out var referenceCondition, out var referenceConditionError));
        if (hasCondition) Assert.Equal(referenceCondition, condition);
        else Assert.Equal(referenceConditionError!.Message, conditionError!.Message);
        return true;
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new StringBuilder(text);
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 2: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                default:
                    var length = random.Next(1, Math.Min(8, chars.Length - at) + 1);
                    chars.Insert(random.Next(chars.Length), chars.ToString(at, length));
                    break;
            }
        }
        return chars.ToString();
    }
}
