namespace Thaiyyal.Server.Executions;

/// <summary>The executions repository of the server's store (which the server opens before it starts).</summary>
public sealed class ExecutionStore(IThaiyyalStore store, ServerSettings settings)
{
    public IExecutionRepository Repository { get; } = store.Executions;

    /// <summary>The name of this process in execution records (<c>-instance-id</c>, the host name by default).</summary>
    public string Replica => settings.Executions.InstanceId;

    /// <summary>
    /// True when replicas share the store (PostgreSQL): queued runs are claimed from the table by any replica and
    /// held under leases. SQLite is one process's store, with its in-process queue.
    /// </summary>
    public bool IsShared { get; } = store.Provider == "postgres";
}
