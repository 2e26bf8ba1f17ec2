using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>
/// Evaluating numbers and booleans allocates nothing, compiled (what the nodes run) and interpreted (the reference)
/// alike; speed itself is measured in bench/.
/// </summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Numeric_and_boolean_evaluation_allocates_nothing(bool interpret)
    {
        var condition = ExpressionEngine.Parse("item.price * item.qty > 100 && item.status == \"paid\" || !(index >= 3) ? true : variables.limit < 5");
        var arithmetic = ExpressionEngine.Parse("abs(item.price - variables.limit) % 7 + max(item.qty, 2, index) + item.tags.length");
        var environment = ExpressionEnvironment.FromValues(variables: new Dictionary<string, Value> { ["limit"] = 100.0 });
        var element = ValueJson.Parse("""{"price":12.5,"qty":10,"status":"paid","tags":["a","b"]}""");
        var sink = 0.0;
        for (var warmUp = 0; warmUp < 200; warmUp++) sink += Evaluate();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) sink += Evaluate();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1200 * (1 + 3 + 10 + 2), sink);

        double Evaluate()
        {
            var scope = ExpressionScope.ForElement(element, Value.From(1.0), environment);
            return interpret
                ? (condition.InterpretBoolean(scope) ? 1 : 0) + arithmetic.InterpretValue(scope).AsNumber()
                : (condition.EvaluateBoolean(scope) ? 1 : 0) + arithmetic.EvaluateValue(scope).AsNumber();
        }
    }
}
