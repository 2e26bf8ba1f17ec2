using Thaiyyal.Server.Logging;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// The executions repository of the registered <see cref="IThaiyyalStore"/>, or none: without a store nothing is
/// recorded, asynchronous runs and the executions API answer 503, and start-up says so once.
/// </summary>
public sealed class ExecutionStore
{
    public ExecutionStore(IServiceProvider services, ILoggerFactory loggers)
    {
        Repository = services.GetService<IThaiyyalStore>()?.Executions;
        if (Repository is null)
        {
            loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Warning,
                "no execution store is configured: runs are not recorded, mode=async and /api/v1/executions answer 503");
        }
    }

    public IExecutionRepository? Repository { get; }

    /// <summary>The name of this process in execution records (the host name).</summary>
    public static string Replica { get; } = Environment.MachineName;

    public const string Unavailable = "Execution history is not available";

    public const string UnavailableDetails = "this server has no execution store configured";
}
