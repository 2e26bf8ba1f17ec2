using Microsoft.Extensions.Time.Testing;

namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Servers_claim_different_id_slots_also_at_once_and_a_full_store_has_none_left()
    {
        var other = await OpenAsync(Options);
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? Store : other).Executions.ClaimIdGeneratorAsync($"claim-{i}", "replica", T0.AddYears(-1), 6, CancellationToken.None)));

        Assert.Equal([0, 1, 2, 3, 4, 5], claims.Select(c => c!.Value).Order());
        Assert.Null(await Store.Executions.ClaimIdGeneratorAsync("claim-6", "replica", T0.AddYears(-1), 6, CancellationToken.None));
        Assert.Equal(6, await ScalarAsync(Options, "SELECT COUNT(*) FROM id_generators"));
    }

    [Fact]
    public async Task A_slot_not_renewed_goes_to_a_new_server_and_its_old_holder_learns_it_when_renewing()
    {
        var time = new FakeTimeProvider(T0);
        var store = await OpenAsync(Options with { Time = time });
        var first = await store.Executions.ClaimIdGeneratorAsync("a", "replica-a", time.GetUtcNow().AddMinutes(-10), 2, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.Executions.ClaimIdGeneratorAsync("b", "replica-b", time.GetUtcNow().AddMinutes(-10), 2, CancellationToken.None);
        Assert.Equal((0, 1), (first, second));

        // Both held: none left. "b" goes on renewing; "a" stops.
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await store.Executions.RenewIdGeneratorAsync(1, "b", CancellationToken.None));
        Assert.Null(await store.Executions.ClaimIdGeneratorAsync("c", "replica-c", time.GetUtcNow().AddMinutes(-10), 2, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(6)); // "a" last seen 12 minutes ago, "b" 6
        Assert.Equal(0, await store.Executions.ClaimIdGeneratorAsync("c", "replica-c", time.GetUtcNow().AddMinutes(-10), 2, CancellationToken.None));

        Assert.False(await store.Executions.RenewIdGeneratorAsync(0, "a", CancellationToken.None));
        Assert.True(await store.Executions.RenewIdGeneratorAsync(0, "c", CancellationToken.None));
        Assert.True(await store.Executions.RenewIdGeneratorAsync(1, "b", CancellationToken.None));
    }
}
