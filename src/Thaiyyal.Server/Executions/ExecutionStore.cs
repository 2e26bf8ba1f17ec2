using Thaiyyal.Storage;

namespace Thaiyyal.Server.Executions;

/// <summary>The executions repository of the server's store (which the server opens before it starts).</summary>
public sealed class ExecutionStore(IThaiyyalStore store)
{
    public IExecutionRepository Repository { get; } = store.Executions;

    /// <summary>The name of this process in execution records (the host name).</summary>
    public static string Replica { get; } = Environment.MachineName;
}
