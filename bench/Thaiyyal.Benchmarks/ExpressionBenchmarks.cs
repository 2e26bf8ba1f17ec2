using BenchmarkDotNet.Attributes;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Benchmarks;

/// <summary>
/// Parsing and evaluating expressions: the per-element cost of filter, map and reduce. The plain benchmarks run the
/// compiled form (what the nodes use); the <c>Interpreted</c> ones walk the AST, for comparison.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const string Condition = "item.price * item.qty > 100 && item.status == \"paid\"";
    private const string Arithmetic = "item.price * item.qty + 1";
    private const string Aggregate = "round(avg(map(input, item.age)))";

    private ParsedExpression _condition = null!;
    private ParsedExpression _arithmetic = null!;
    private ParsedExpression _aggregate = null!;
    private ExpressionScope _element;
    private ExpressionScope _people;
    private Value[] _elements = [];
    private ExpressionEnvironment _environment = null!;

    [GlobalSetup]
    public void Setup()
    {
        _condition = ExpressionEngine.Parse(Condition);
        _arithmetic = ExpressionEngine.Parse(Arithmetic);
        _aggregate = ExpressionEngine.Parse(Aggregate);
        _environment = ExpressionEnvironment.FromValues(variables: new Dictionary<string, Value> { ["limit"] = 100.0 });
        var order = ValueJson.Parse("""{"price":12.5,"qty":10,"status":"paid","id":7}""");
        _element = ExpressionScope.ForElement(order, Value.From(0.0), _environment);
        _people = new ExpressionScope(ValueJson.Parse("[" + string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"age":{{20 + i}}}""")) + "]"), _environment);
        _elements = Enumerable.Range(0, 1000)
            .Select(i => ValueJson.Parse($$"""{"price":{{i % 50}},"qty":{{i % 7}},"status":"{{(i % 3 == 0 ? "paid" : "open")}}"}"""))
            .ToArray();
    }

    /// <summary>Lexing and parsing the condition (the cache bypassed).</summary>
    [Benchmark]
    public object ParseCondition() => Parser.Parse(Condition, ExpressionLimits.Default);

    /// <summary>Parsing and compiling into delegates: what a text not seen before costs at decode (limits other than the defaults bypass the cache).</summary>
    [Benchmark]
    public object ParseAndCompileCondition() => ExpressionEngine.Parse(Condition, new ExpressionLimits { MaxDepth = 63 });

    /// <summary>What a node pays at decode for a text it has seen before.</summary>
    [Benchmark]
    public ParsedExpression ParseConditionCached() => ExpressionEngine.Parse(Condition);

    [Benchmark]
    public bool EvaluateCondition() => _condition.EvaluateBoolean(_element);

    /// <summary>The same by walking the AST (the reference evaluator the compiled form is tested against).</summary>
    [Benchmark]
    public bool EvaluateConditionInterpreted() => _condition.InterpretBoolean(_element);

    [Benchmark]
    public Value EvaluateArithmetic() => _arithmetic.EvaluateValue(_element);

    [Benchmark]
    public Value EvaluateArithmeticInterpreted() => _arithmetic.InterpretValue(_element);

    /// <summary>map() builds an array, so this one allocates.</summary>
    [Benchmark]
    public Value EvaluateAggregateOfTen() => _aggregate.EvaluateValue(_people);

    [Benchmark]
    public Value EvaluateAggregateOfTenInterpreted() => _aggregate.InterpretValue(_people);

    /// <summary>The condition over 1,000 elements, as a filter node evaluates it (one evaluator moved from element to element).</summary>
    [Benchmark]
    public int FilterThousandElements()
    {
        var kept = 0;
        var loop = new ElementLoop(_condition, _environment);
        for (var i = 0; i < _elements.Length; i++)
        {
            if (loop.TryCondition(_elements[i], Value.From((double)i), out var keep, out _) && keep) kept++;
        }
        return kept;
    }

    /// <summary>The same with a new scope and evaluator per element, as filter nodes did before <see cref="ElementLoop"/>.</summary>
    [Benchmark]
    public int FilterThousandElementsNewScopeEach()
    {
        var kept = 0;
        for (var i = 0; i < _elements.Length; i++)
        {
            var scope = ExpressionScope.ForElement(_elements[i], Value.From((double)i), _environment);
            if (_condition.TryEvaluateBoolean(scope, out var keep, out _) && keep) kept++;
        }
        return kept;
    }

    /// <summary>The same filter by walking the AST.</summary>
    [Benchmark]
    public int FilterThousandElementsInterpreted()
    {
        var kept = 0;
        for (var i = 0; i < _elements.Length; i++)
        {
            var scope = ExpressionScope.ForElement(_elements[i], Value.From((double)i), _environment);
            if (_condition.InterpretBoolean(scope)) kept++;
        }
        return kept;
    }
}
