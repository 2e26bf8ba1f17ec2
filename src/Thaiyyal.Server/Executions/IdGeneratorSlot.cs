namespace Thaiyyal.Server.Executions;

/// <summary>
/// Keeps this server's slot for making execution ids (<see cref="ExecutionIdGenerator"/>): claimed in the store at
/// start-up, renewed every <see cref="RenewEvery"/>. A slot not renewed for <see cref="StaleAfter"/> may be claimed by
/// a server that starts; should that happen to this one (the store was out of its reach that long), it claims
/// another slot and goes on with it.
/// </summary>
public sealed class IdGeneratorSlot(ExecutionIdGenerator ids, ExecutionStore store, ServerSettings settings, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private readonly ILogger _log = loggers.CreateLogger("Thaiyyal.Server");

    /// <summary>A free slot for a new holder; throws <see cref="StorageException"/> when every slot is held.</summary>
    public static async Task<int> ClaimAsync(IExecutionRepository repository, string claim, string instance, TimeProvider time,
        CancellationToken cancellationToken) =>
        await repository.ClaimIdGeneratorAsync(claim, instance, time.GetUtcNow() - StaleAfter, ExecutionIdGenerator.Slots, cancellationToken)
        ?? throw new StorageException(
            $"all {ExecutionIdGenerator.Slots} execution id slots are held by servers seen in the last {StaleAfter.TotalMinutes} minutes");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(RenewEvery, time, stoppingToken);
                await RenewOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Renews the slot, or claims another when it was taken; store failures are logged and tried again later.</summary>
    public async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await store.Repository.RenewIdGeneratorAsync(ids.Slot, ids.Claim, cancellationToken)) return;
            var lost = ids.Slot;
            var slot = await ClaimAsync(store.Repository, ids.Claim, settings.Executions.InstanceId, time, cancellationToken);
            ids.MoveTo(slot);
            _log.Fields(LogLevel.Warning, "execution id slot was claimed by another server; this one moved to another slot",
                ("lost_slot", lost), ("slot", slot));
        }
        catch (StorageException ex)
        {
            _log.Fields(LogLevel.Warning, "execution id slot could not be renewed", ("slot", ids.Slot), ("error", ex.Message));
        }
    }
}
