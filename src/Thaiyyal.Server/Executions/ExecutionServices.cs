namespace Thaiyyal.Server.Executions;

/// <summary>Registers the execution history, the asynchronous run queue and workers, and the event feed.</summary>
public static class ExecutionServices
{
    public static IServiceCollection AddExecutions(this IServiceCollection services)
    {
        services.AddSingleton<ExecutionStore>();
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        services.AddSingleton<SyncRunRecorder>();
        services.AddSingleton<ActiveExecutions>();
        services.AddSingleton<IExecutionEventFeed, InProcessExecutionEventFeed>();
        services.AddSingleton<ExecutionEventSignals>();
        // PostgreSQL: one queue for every replica; SQLite: this process's queue.
        services.AddSingleton<IExecutionQueue>(sp => sp.GetRequiredService<ExecutionStore>().IsShared
            ? ActivatorUtilities.CreateInstance<SharedExecutionQueue>(sp)
            : ActivatorUtilities.CreateInstance<InProcessExecutionQueue>(sp));
        services.AddSingleton<AsyncRunExecutor>();
        services.AddSingleton<AsyncRunSubmitter>();
        // Hosts stop services in reverse order: the lease keeper goes on renewing the leases of runs that the workers
        // finish during the grace period, and stops only after them.
        services.AddHostedService<LeaseKeeper>();
        services.AddHostedService<AsyncRunWorkers>();
        return services;
    }
}
