using Thaiyyal.Engine.Http;

namespace Thaiyyal.Server.Configuration;

/// <summary>The server's effective configuration, built by <see cref="ServerSettingsLoader"/>.</summary>
public sealed record ServerSettings
{
    public ServerProfile Profile { get; init; } = ServerProfile.Production;

    public ListenAddress Address { get; init; } = new("", 8080);

    /// <summary>Whole request (headers and body) must arrive within this; zero: no limit.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Response deadline of non-run routes; zero: no limit.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Limits of every run (execution time, node executions, HTTP calls, loop iterations, sizes).</summary>
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    public long MaxRequestBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The SSRF policy and limits of <c>http</c> nodes.</summary>
    public OutboundHttpOptions Http { get; init; } = OutboundHttpOptions.Default;

    /// <summary>Runs admitted at once. Runs are mostly waiting (delay, HTTP), so this bounds memory and fairness, not CPU.</summary>
    public int MaxConcurrentRuns { get; init; } = 64;

    public int RunQueueLength { get; init; } = 64;

    /// <summary>Runs one client may hold (running or queued); zero: no cap.</summary>
    public int MaxRunsPerClient { get; init; } = 32;

    /// <summary>Cases one workflow test request may hold.</summary>
    public int MaxTestCases { get; init; } = 100;

    /// <summary>Proxies whose forwarded headers are believed; empty: the TCP peer is the client.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    public int MaxStoredWorkflows { get; init; } = 1000;

    /// <summary>Where workflows, HTTP clients and executions are kept (SQLite in a data directory, or PostgreSQL) and their budgets.</summary>
    public Thaiyyal.Storage.StoreOptions Store { get; init; } = new();

    /// <summary>Finished executions older than this are pruned from the history.</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The history keeps at most this many executions (the oldest finished ones go first).</summary>
    public int HistoryMaxExecutions { get; init; } = 100_000;

    /// <summary>Execute/validate requests per second per client; zero: off.</summary>
    public double RateLimit { get; init; } = 100;

    public int RateLimitBurst { get; init; } = 200;

    /// <summary>Other API requests per second per client; zero: off.</summary>
    public double ReadRateLimit { get; init; } = 200;

    /// <summary>Origins allowed by CORS; empty: same origin only.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Keys accepted on /api; empty: no authentication.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    public MetricsAccess MetricsAccess { get; init; } = MetricsAccess.Open;

    /// <summary>Serve the profiling endpoints on <see cref="AdminAddress"/>.</summary>
    public bool Profiling { get; init; }

    public ListenAddress AdminAddress { get; init; } = new("localhost", 6060);

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>Folder of the web editor; null: <c>wwwroot</c> beside the binary.</summary>
    public string? WebRoot { get; init; }

    /// <summary>Execution history, asynchronous runs and event streams.</summary>
    public ExecutionSettings Executions { get; init; } = new();

    /// <summary>Each setting's effective value (secrets redacted) and where it came from, for the startup log.</summary>
    public IReadOnlyList<EffectiveSetting> Effective { get; init; } = [];

    /// <summary>Problems that did not stop start-up (e.g. an unknown log level), logged as WARN.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Extra time a run route's response deadline gets over the execution limit, so the body can be written.</summary>
    public static readonly TimeSpan ResponseMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Response deadline of the run routes: never shorter than the execution limit plus a margin, so the write
    /// timeout cannot cut a run the execution limit allows (server-api.md §1.6). Zero: no deadline.
    /// </summary>
    public TimeSpan RunResponseTimeout =>
        Limits.MaxExecutionTime == TimeSpan.Zero || WriteTimeout == TimeSpan.Zero
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Max(WriteTimeout.Ticks, (Limits.MaxExecutionTime + ResponseMargin).Ticks));
}

/// <summary>A setting's value and source, as logged at start-up.</summary>
public sealed record EffectiveSetting(string Name, string Value, SettingSource Source);

/// <summary>Where a setting's value came from, highest precedence first.</summary>
public enum SettingSource
{
    Flag,
    Environment,
    Profile,
    Default,

    /// <summary>Not read from configuration: the settings were built in code (an embedder, a test).</summary>
    Code,
}

/// <summary>Who may read <c>/metrics</c>.</summary>
public enum MetricsAccess
{
    Open,
    ApiKey,
    Disabled,
}

/// <summary>Which synchronous runs the execution history records.</summary>
public enum HistoryMode
{
    All,
    Failures,
    Off,
}

/// <summary>Execution history, asynchronous runs and their event streams (operations.md, "Executions").</summary>
public sealed record ExecutionSettings
{
    public HistoryMode History { get; init; } = HistoryMode.All;

    /// <summary>Finished runs waiting for the history writer; more are dropped and counted.</summary>
    public int HistoryQueueLength { get; init; } = 4096;

    /// <summary>Largest stored node result (JSON bytes) before it is truncated with a marker.</summary>
    public int MaxResultBytes { get; init; } = 64 * 1024;

    /// <summary>Iterations recorded per scope node (the first ones).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Asynchronous runs executing at once.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Asynchronous runs waiting for a worker.</summary>
    public int AsyncQueueLength { get; init; } = 1000;

    /// <summary>Interval of the event stream's keep-alive comment.</summary>
    public TimeSpan SseHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>This replica's name in execution records and leases.</summary>
    public string InstanceId { get; init; } = Environment.MachineName;

    /// <summary>Whether this replica serves the API, runs queued runs, or both.</summary>
    public ServerRole Role { get; init; } = ServerRole.All;

    /// <summary>How long a claimed run stays this replica's without a heartbeat (PostgreSQL queue).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>True when this replica claims and executes queued runs.</summary>
    public bool RunsWorkers => Role != ServerRole.Api;
}

/// <summary>What a replica does (<c>-role</c>).</summary>
public enum ServerRole
{
    All,
    Api,
    Worker,
}

/// <summary>Console log format.</summary>
public enum LogFormat
{
    Json,
    Text,
}
