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
        // PostgreSQL: one queue for every replica; SQLite: this process's queue.
        services.AddSingleton<IExecutionQueue>(sp => sp.GetRequiredService<ExecutionStore>().IsShared
            ? ActivatorUtilities.CreateInstance<SharedExecutionQueue>(sp)
            : ActivatorUtilities.CreateInstance<InProcessExecutionQueue>(sp));
        services.AddSingleton<AsyncRunExecutor>();
        services.AddSingleton<AsyncRunSubmitter>();
        services.AddHostedService<AsyncRunWorkers>();
        services.AddHostedService<LeaseKeeper>();
        return services;
    }
}
