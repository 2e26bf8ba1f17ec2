using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class IdGeneratorSlotTests
{
    [Fact]
    public async Task A_server_whose_slot_another_server_took_moves_to_a_free_slot_and_its_ids_carry_it()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var ids = server.App.Services.GetRequiredService<ExecutionIdGenerator>();
        var keeper = server.App.Services.GetServices<IHostedService>().OfType<IdGeneratorSlot>().Single();
        var repository = server.App.Services.GetRequiredService<IThaiyyalStore>().Executions;
        var held = ids.Slot;

        await keeper.RenewOnceAsync(CancellationToken.None);
        Assert.Equal(held, ids.Slot);

        // Another server that knows only the slots up to this one's, and counts every slot as unused long ago (as if
        // this server had not renewed for StaleAfter), takes the oldest: this one's.
        var taken = await repository.ClaimIdGeneratorAsync("intruder", "other", DateTimeOffset.UtcNow.AddMinutes(1), held + 1,
            CancellationToken.None);
        Assert.Equal(held, taken);
        await keeper.RenewOnceAsync(CancellationToken.None);

        Assert.NotEqual(held, ids.Slot);
        Assert.Equal((ulong)ids.Slot, (Convert.ToUInt64(ids.Next(), 16) >> 12) & 2047);
        Assert.True(await repository.RenewIdGeneratorAsync(ids.Slot, ids.Claim, CancellationToken.None));
        Assert.True(await repository.RenewIdGeneratorAsync(held, "intruder", CancellationToken.None));
    }
}
