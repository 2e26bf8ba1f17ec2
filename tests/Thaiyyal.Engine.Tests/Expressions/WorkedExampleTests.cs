using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Every worked example of expressions.md §9, with the inputs and context the spec gives.</summary>
public sealed class WorkedExampleTests
{
    private static readonly ExpressionEnvironment Nodes = Env(
        variables: """{"counter":150,"enabled":true,"name":"test","foo":3,"validVar":100,"items":[1,2,3,4,5],"item":4}""",
        nodes: """
        {"node1":{"value":150,"output":{"status":200,"data":"success"}},"node2":{"value":50},
         "log":{"value":"ERROR: Connection failed"},"a":{"value":10},"b":{"value":5},
         "nullNode":{"value":null},"null1":{"value":null},"null2":{"value":null},"val1":{"value":100}}
        """);

    [Theory]
    [InlineData(">100", "150", true)]
    [InlineData("<=100", "150", false)]
    [InlineData("!=100", "50", true)]
    [InlineData("true && false", "null", false)]
    [InlineData("!false", "null", true)]
    [InlineData(">100 && <200", "150", true)]
    [InlineData(">100 || <50", "75", false)]
    [InlineData("node.node1.value > 100", "null", true)]
    [InlineData("node.node1.output.status == 200", "null", true)]
    [InlineData("node.node1.value > node.node2.value", "null", true)]
    [InlineData("node.node1.output.data == 'success'", "null", true)]
    [InlineData("variables.counter > 100 && variables.enabled", "null", true)]
    [InlineData("variables.name == 'test'", "null", true)]
    [InlineData("contains(node.log.value, 'ERROR')", "null", true)]
    [InlineData("(node.a.value + (node.b.value * 5)) > pow(variables.foo, 2)", "null", true)]
    [InlineData("(node.a.value + 5) > 10 && node.b.value < 10", "null", true)]
    [InlineData("isNull(node.nullNode.value)", "null", true)]
    [InlineData("isNull(variables.validVar)", "null", false)]
    [InlineData("node.null1.value == node.null2.value", "null", true)]
    [InlineData("node.null1.value != node.val1.value", "null", true)]
    [InlineData("item.tags.length == 3", """{"tags":["go","rust","python"]}""", true)]
    [InlineData("variables.items.length == 5", "null", true)]
    [InlineData("item.name.length > 5", """{"name":"Alice Smith"}""", true)]
    [InlineData("item.users[1].name == 'Bob'", """{"users":[{"name":"Alice"},{"name":"Bob"},{"name":"Charlie"}]}""", true)]
    [InlineData("item.tags[5] == 'test'", """{"tags":["a","b"]}""", false)]
    [InlineData("item.users[0].tags[1] == 'verified'", """{"users":[{"tags":["new","verified"]}]}""", true)]
    [InlineData("item.items.length * 2 > 10", """{"items":[1,2,3,4,5,6]}""", true)]
    [InlineData("item.role.toUpperCase() == 'ADMIN'", """{"role":"admin"}""", true)]
    [InlineData("item.email.toLowerCase().includes('@example.com')", """{"email":"USER@EXAMPLE.COM"}""", true)]
    [InlineData("!item.tags.includes('deprecated')", """{"tags":"active,new,featured"}""", true)]
    [InlineData("item.filename.endsWith('.pdf') && item.filename.startsWith('report')", """{"filename":"report_2024.pdf"}""", true)]
    [InlineData("input == true", "true", true)]
    [InlineData("variables.item % 2 == 0", "null", true)]
    [InlineData("(input >= 68 && input <= 78) || input == 72", "75", true)]
    public void Boolean_examples(string expression, string input, bool expected) =>
        Assert.Equal(expected, Bool(expression, input, Nodes));

    [Fact]
    public void Timestamps_compare_chronologically()
    {
        var env = ExpressionEnvironment.FromValues(nodeResults: new Dictionary<string, Value>
        {
            ["date1"] = ValueObject.Of(("value", Value.From(new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero)))),
            ["date2"] = ValueObject.Of(("value", Value.From(new DateTimeOffset(2024, 1, 20, 0, 0, 0, TimeSpan.Zero)))),
        });
        Assert.True(Bool("node.date1.value < node.date2.value", env: env));
        Assert.False(Bool("node.date1.value > node.date2.value", env: env));
    }

    [Theory]
    [InlineData("item.tags.length", """{"tags":["a","b","c"]}""", "3")]
    [InlineData("item.tags.length * 2", """{"tags":["a","b","c"]}""", "6")]
    [InlineData("item.tags[0]", """{"tags":["first","second"]}""", "\"first\"")]
    [InlineData("item.users[1].name", """{"users":[{"name":"Alice"},{"name":"Bob"}]}""", "\"Bob\"")]
    [InlineData("item.scores[0] * 2", """{"scores":[10,20,30]}""", "20")]
    [InlineData("item.name.toUpperCase()", """{"name":"alice"}""", "\"ALICE\"")]
    [InlineData("item.text.replace('old', 'new')", """{"text":"old text with old values"}""", "\"new text with new values\"")]
    [InlineData("item.text.split(',')", """{"text":"a,b,c,d"}""", """["a","b","c","d"]""")]
    [InlineData("item.name.trim().toUpperCase()", """{"name":"  alice  "}""", "\"ALICE\"")]
    [InlineData("item.tags.join(', ')", """{"tags":["red","green","blue"]}""", "\"red, green, blue\"")]
    [InlineData("item.items.first()", """{"items":[]}""", "null")]
    [InlineData("map(item.users, item.age)", """{"users":[{"age":30},{"age":25}]}""", "[30,25]")]
    [InlineData("avg(map(item.users, item.age))", """{"users":[{"age":30},{"age":25}]}""", "27.5")]
    [InlineData("avg(10, 20, 30)", "null", "20")]
    [InlineData("round(avg(map(input, item.age)))", """[{"age":31},{"age":29},{"age":40}]""", "33")]
    [InlineData("round(avg(map(input,item.age))) + 2", """[{"age":31},{"age":29},{"age":40}]""", "35")]
    [InlineData("round(item.values)", """{"values":[3.2,4.7,5.5,6.1]}""", "[3,5,6,6]")]
    [InlineData("floor(item.values)", """{"values":[3.9,4.1,5.8]}""", "[3,4,5]")]
    [InlineData("ceil(item.values)", """{"values":[3.1,4.0,5.9]}""", "[4,4,6]")]
    [InlineData("abs(item.values)", """{"values":[-3,4,-5.5]}""", "[3,4,5.5]")]
    [InlineData("min(item.values)", """{"values":[2,3,1,4]}""", "1")]
    [InlineData("max(item.values)", """{"values":[2,3,1,4]}""", "4")]
    [InlineData("reverse(item.values)", """{"values":[1,2,3,4]}""", "[4,3,2,1]")]
    [InlineData("flatten(item.nested)", """{"nested":[[1,2],[3,[4,5]]]}""", "[1,2,3,4,5]")]
    [InlineData("min(5, 2, 8, 1)", "null", "1")]
    [InlineData("max(5, 2, 8, 1)", "null", "8")]
    [InlineData("sum(item.values)", """{"values":[1,2,3,4]}""", "10")]
    [InlineData("sum(item.values)", """{"values":[]}""", "0")]
    [InlineData("sum(map(item.users, item.score))", """{"users":[{"score":85.5},{"score":92.3},{"score":78.9}]}""", "256.70000000000005")]
    [InlineData("round(avg(map(item.users, item.score)))", """{"users":[{"score":85.5},{"score":92.3},{"score":78.9}]}""", "86")]
    [InlineData("sort(item.names)", """{"names":["charlie","alice","bob"]}""", """["alice","bob","charlie"]""")]
    [InlineData("sort(item.values)", """{"values":[3,1,4,2]}""", "[1,2,3,4]")]
    [InlineData("slice(item.values, 2)", """{"values":[1,2,3,4,5]}""", "[3,4,5]")]
    [InlineData("slice(item.values, 1, 4)", """{"values":[1,2,3,4,5]}""", "[2,3,4]")]
    [InlineData("slice(item.values, -2)", """{"values":[1,2,3,4,5]}""", "[4,5]")]
    [InlineData("slice(item.values, 1, -1)", """{"values":[1,2,3,4,5]}""", "[2,3,4]")]
    [InlineData("unique(item.tags)", """{"tags":["a","b","a","c","b"]}""", """["a","b","c"]""")]
    [InlineData("unique(item.values)", """{"values":[1,2,2,3,1,4]}""", "[1,2,3,4]")]
    [InlineData("zip(item.names, item.ages)", """{"names":["alice","bob","charlie"],"ages":[30,25,35]}""", """[["alice",30],["bob",25],["charlie",35]]""")]
    public void Value_examples(string expression, string input, string expected) => Assert.Equal(expected, EvalJson(expression, input));

    [Fact]
    public void Value_examples_with_variables()
    {
        var env = Env(variables: """{"items":["a","b","c","d"],"nums":[10,20,30]}""");
        Assert.Equal("\"c\"", ValueJson.Serialize(Eval("variables.items[2]", env: env)));
        Assert.Equal("20", ValueJson.Serialize(Eval("avg(variables.nums)", env: env)));
    }

    [Theory]
    [InlineData("5 + 3", 8)]
    [InlineData("10 - 3", 7)]
    [InlineData("4 * 5", 20)]
    [InlineData("20 / 4", 5)]
    [InlineData("10 % 3", 1)]
    [InlineData("-5", -5)]
    [InlineData("+5", 5)]
    [InlineData("(5 + 3) * 2", 16)]
    [InlineData("2 * (3 + (4 * 5))", 46)]
    [InlineData("10 + 5 * 2 - 3", 17)]
    [InlineData("(((10)))", 10)]
    [InlineData("pow(2, 3)", 8)]
    [InlineData("sqrt(16)", 4)]
    [InlineData("abs(-5)", 5)]
    [InlineData("floor(3.7)", 3)]
    [InlineData("ceil(3.2)", 4)]
    [InlineData("round(3.5)", 4)]
    [InlineData("min(5, 3)", 3)]
    [InlineData("max(5, 3)", 5)]
    public void Arithmetic_examples(string expression, double expected) => Assert.Equal(expected, Eval(expression).AsNumber());

    [Fact]
    public void Arithmetic_reads_variables()
    {
        var env = Env(variables: """{"a":10,"b":5,"c":2}""");
        Assert.Equal(20, Eval("variables.a + (variables.b * variables.c)", env: env).AsNumber());
    }

    [Theory]
    [InlineData("10 / 0", "division by zero", 6)]
    [InlineData("(5 + 3", "unmatched '('", 1)]
    [InlineData("5 + 3)", "unmatched ')'", 6)]
    [InlineData("5 # 3", "unexpected character '#'", 3)]
    [InlineData("", "empty expression", 1)]
    [InlineData("+", "unexpected end of expression", 2)]
    public void Arithmetic_error_examples(string expression, string problem, int column)
    {
        var error = Error(expression);
        Assert.Equal(problem, error.Problem);
        Assert.Equal(column, error.Column);
        Assert.Equal(expression, error.Expression);
    }
}
