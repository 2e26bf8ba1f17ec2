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
        services.AddSingleton<IExecutionQueue, InProcessExecutionQueue>();
        services.AddSingleton<AsyncRunExecutor>();
        services.AddSingleton<AsyncRunSubmitter>();
        services.AddHostedService<AsyncRunWorkers>();
        return services;
    }
}
