namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Every_registered_id_generator_gets_a_number_no_earlier_one_had_also_through_other_stores_at_once()
    {
        var numbers = new List<long>();
        for (var i = 0; i < 3; i++) numbers.Add(await Store.Executions.RegisterIdGeneratorAsync("replica-a", CancellationToken.None));
        var other = await OpenAsync(Options);
        numbers.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => other.Executions.RegisterIdGeneratorAsync("replica-b", CancellationToken.None))));
        var reopened = await OpenAsync(Options);
        numbers.Add(await reopened.Executions.RegisterIdGeneratorAsync("replica-a", CancellationToken.None));

        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Equal(numbers.Max(), numbers[^1]);
        Assert.Equal(numbers.Count, await ScalarAsync(Options, "SELECT COUNT(*) FROM id_generators"));
    }
}
