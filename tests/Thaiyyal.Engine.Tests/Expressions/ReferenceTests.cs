using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Context variables and paths: input, item, index, items, accumulator, variables, context, node, bare names.</summary>
public sealed class ReferenceTests
{
    private static Value EvalIn(string expression, in ExpressionScope scope) => ExpressionEngine.Parse(expression).EvaluateValue(scope);

    [Fact]
    public void Input_and_item_are_the_input_unless_a_node_binds_item()
    {
        Assert.Equal(5, Eval("input + item", "2.5").AsNumber());
        var scope = new ExpressionScope(ParseJson("1")).WithItem(ParseJson("10"), Value.From(0.0));
        Assert.Equal(11, EvalIn("input + item", scope).AsNumber());
    }

    [Fact]
    public void Nodes_bind_index_items_and_accumulator()
    {
        var scope = ExpressionScope.ForElement(ParseJson("3"), Value.From(2.0))
            .WithItems(ParseJson("[1,2,3]"))
            .WithAccumulator(ParseJson("10"));
        Assert.Equal(3 + 2 + 10 + 3, EvalIn("item + index + accumulator + items.length", scope).AsNumber());
        Assert.True(ExpressionEngine.Parse("index >= 1").EvaluateBoolean(scope));
        Assert.True(ExpressionEngine.Parse("variables.index == 2").EvaluateBoolean(scope));
    }

    [Fact]
    public void Unbound_index_is_a_missing_reference_not_a_workflow_variable()
    {
        var env = Env(variables: """{"index":7}""");
        Assert.False(Bool("index > 1", "{}", env));
        Assert.Equal("unknown reference: index", Error("index", "{}", env).Problem);
        Assert.Equal(7, Eval("variables.index", "{}", env).AsNumber());
        Assert.Equal(4, Eval("index", """{"index":4}""").AsNumber());
    }

    [Fact]
    public void Bare_names_are_input_fields_then_workflow_variables()
    {
        var env = Env(variables: """{"threshold":10,"age":99}""");
        Assert.True(Bool("age > threshold", """{"age":30}""", env));
        Assert.Equal(31, Eval("age + 1", """{"age":30}""", env).AsNumber());
        Assert.Equal(100, Eval("age + 1", "{}", env).AsNumber());
        Assert.True(Bool("healthy == true", """{"healthy":true}"""));
        Assert.Equal("\"Ada\"", EvalJson("user.name", """{"user":{"name":"Ada"}}"""));
        Assert.Equal("unknown reference: nothing", Error("nothing + 1", "{}", env).Problem);
    }

    [Fact]
    public void Extra_bindings_shadow_input_fields_and_variables()
    {
        var scope = new ExpressionScope(ParseJson("""{"iteration":1}"""), Env(variables: """{"iteration":2}"""))
            .WithBindings(new Dictionary<string, Value> { ["iteration"] = Value.From(3.0) });
        Assert.Equal(3, EvalIn("iteration", scope).AsNumber());
        Assert.Equal(3, EvalIn("variables.iteration", scope).AsNumber());
    }

    [Fact]
    public void Variables_resolve_bound_names_then_workflow_variables_then_the_input()
    {
        var env = Env(variables: """{"x":{"list":[1,2,3]},"item":"workflow"}""");
        Assert.Equal(2, Eval("variables.x.list[1]", "null", env).AsNumber());
        Assert.Equal("\"workflow\"", EvalJson("variables.item", "5", env));
        Assert.Equal(5, Eval("variables.input", "5", env).AsNumber());
        Assert.Equal(6, Eval("variables.item", "6").AsNumber());
        var bound = ExpressionScope.ForElement(ParseJson("8"), Value.From(0.0), env);
        Assert.Equal(8, EvalIn("variables.item", bound).AsNumber());
        Assert.Equal("variable not found: nope", Error("variables.nope", "null", env).Problem);
        Assert.False(Bool("variables.nope > 1", "null", env));
    }

    [Fact]
    public void Context_values_and_node_results()
    {
        var env = Env(
            nodes: """{"n1":{"value":150},"http-1":{"status":200},"2":[5,6]}""",
            context: """{"rate":0.5,"api-key":"k","cfg":{"a":1}}""");
        Assert.Equal(75, Eval("node.n1.value * context.rate", "null", env).AsNumber());
        Assert.Equal(200, Eval("node.http-1.status", "null", env).AsNumber());
        Assert.Equal(6, Eval("node.2[1]", "null", env).AsNumber());
        Assert.Equal("{\"value\":150}", EvalJson("node.n1", "null", env));
        Assert.Equal("\"k\"", EvalJson("context.api-key", "null", env));
        Assert.Equal(1, Eval("context.cfg.a", "null", env).AsNumber());
        Assert.Equal("node result not found: nope", Error("node.nope.value", "null", env).Problem);
        Assert.Equal("context variable not found: nope", Error("context.nope", "null", env).Problem);
        Assert.Equal(149, Eval("node.n1.value-1", "null", env).AsNumber());
    }

    [Fact]
    public void Loop_scope_bindings_reach_expressions_inside_a_body()
    {
        var env = new LoopEnvironment(new Dictionary<string, Value> { ["item"] = Value.From(4.0), ["index"] = Value.From(1.0) });
        var scope = new ExpressionScope(ParseJson("100"), env);
        Assert.Equal(4 * 4 + 1, EvalIn("item * item + index", scope).AsNumber());
        Assert.Equal(100, EvalIn("input", scope).AsNumber());
    }

    [Theory]
    [InlineData("item.a[0][1]", """{"a":[[1,2],[3]]}""", "2")]
    [InlineData("item['first-name']", """{"first-name":"Bo"}""", "\"Bo\"")]
    [InlineData("item[item.key]", """{"key":"v","v":9}""", "9")]
    [InlineData("item.list[1 + 1]", """{"list":[1,2,3]}""", "3")]
    [InlineData("item.o.length", """{"o":{"length":12}}""", "12")]
    [InlineData("item.s.length", """{"s":"héllo"}""", "6")]
    [InlineData("item.l.length", """{"l":[1,2]}""", "2")]
    [InlineData("input.length", "\"  Hello, World  \"", "16")]
    public void Paths_index_and_length(string expression, string input, string expected) => Assert.Equal(expected, EvalJson(expression, input));

    [Theory]
    [InlineData("item.list[-1]", "invalid array index: -1")]
    [InlineData("item.list[1.5]", "invalid array index: 1.5")]
    [InlineData("item.list[true]", "invalid array index: true")]
    [InlineData("item.n.length", ".length property only available on arrays and strings, got float64")]
    public void Path_errors(string expression, string problem) =>
        Assert.Equal(problem, Assert.Throws<ExpressionException>(() => Bool(expression, """{"list":[1],"n":5}""")).Problem);

    [Theory]
    [InlineData("item.list[5]", "array index 5 out of bounds (length: 1)")]
    [InlineData("item.n[0]", "cannot use array indexing on non-array type: float64")]
    [InlineData("item.n.x", "cannot access field x on non-object")]
    [InlineData("item.nil.x", "cannot access field x on non-object")]
    [InlineData("item.nil.length", "cannot access field length on non-object")]
    [InlineData("item.nil.trim()", "cannot call trim() on <nil>")]
    [InlineData("item.none", "field not found: none")]
    public void Missing_paths(string expression, string problem)
    {
        const string input = """{"list":[1],"n":5,"nil":null}""";
        Assert.Equal(problem, Error(expression, input).Problem);
        Assert.False(Bool(expression + " == 1", input));
    }

    [Fact]
    public void Map_binds_item_and_input_to_the_element_everywhere()
    {
        // The original kept the outer input for item inside arithmetic, so map(input, item.age * 2) failed.
        Assert.Equal("[62,58]", EvalJson("map(input, item.age * 2)", """[{"age":31},{"age":29}]"""));
        Assert.Equal("[2,3]", EvalJson("map(input, input + 1)", "[1,2]"));
        Assert.Equal("[[1,2],[2,4]]", EvalJson("map(input, map(input, item * 2))", "[[0.5,1],[1,2]]"));
    }

    [Theory]
    [InlineData("item.a > 1", false)]
    [InlineData("input * 2 + item.b[0]", false)]
    [InlineData("accumulator + item + index + items.length", false)]
    [InlineData("map(input, item.x)", false)]
    [InlineData(">= 18", false)]
    [InlineData("variables.x > 1", true)]
    [InlineData("context.limit", true)]
    [InlineData("node.a.value", true)]
    [InlineData("age > 18", true)]
    [InlineData("map(input, threshold)", true)]
    public void Reads_shared_state(string expression, bool expected) => Assert.Equal(expected, ExpressionEngine.Parse(expression).ReadsSharedState);

    private sealed class LoopEnvironment(Dictionary<string, Value> scope) : ExpressionEnvironment
    {
        public override bool TryGetVariable(string name, out Value value) => Empty.TryGetVariable(name, out value);

        public override bool TryGetScopeVariable(string name, out Value value) => scope.TryGetValue(name, out value);

        public override bool TryGetNodeResult(string nodeId, out Value value) => Empty.TryGetNodeResult(nodeId, out value);

        public override bool TryGetContextValue(string name, out Value value) => Empty.TryGetContextValue(name, out value);
    }
}
