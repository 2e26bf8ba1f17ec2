namespace Thaiyyal.Server.Configuration;

/// <summary>One configuration setting: its flag, its environment variable, its default and help text.</summary>
/// <param name="Flag">Flag name without dashes (<c>max-execution-time</c>).</param>
/// <param name="EnvironmentVariable">Environment variable, or null when the setting is flag-only.</param>
/// <param name="Default">Built-in default as text (empty: none, or derived at load time).</param>
/// <param name="Help">One line for the usage text.</param>
/// <param name="IsBoolean">Go boolean flag: <c>-name</c> alone means true; a value needs <c>-name=value</c>.</param>
/// <param name="IsSecret">Redacted in the logged configuration.</param>
public sealed record SettingDefinition(string Flag, string? EnvironmentVariable, string Default, string Help, bool IsBoolean = false, bool IsSecret = false);

/// <summary>Every server setting, and the three profiles of the operations guide.</summary>
public static class SettingDefinitions
{
    public static readonly SettingDefinition Profile = new("profile", "THAIYYAL_PROFILE", "production",
        "configuration profile: development, production or strict");
    public static readonly SettingDefinition Addr = new("addr", "SERVER_ADDR", ":8080",
        "listen address host:port; an empty host listens on every interface");
    public static readonly SettingDefinition ReadTimeout = new("read-timeout", "READ_TIMEOUT", "30s",
        "time allowed to read a whole request, headers and body (0: no limit)");
    public static readonly SettingDefinition WriteTimeout = new("write-timeout", "WRITE_TIMEOUT", "30s",
        "time allowed to produce a response; execute routes get at least max-execution-time + 5s");
    public static readonly SettingDefinition ShutdownTimeout = new("shutdown-timeout", "SHUTDOWN_TIMEOUT", "6s",
        "time in-flight requests get to finish after the listener closes on SIGTERM/SIGINT");
    public static readonly SettingDefinition DrainDelay = new("drain-delay", "DRAIN_DELAY", "3s",
        "time readiness reports 503 (and new runs get 503) before the listener closes on shutdown");
    public static readonly SettingDefinition MaxExecutionTime = new("max-execution-time", "MAX_EXECUTION_TIME", "5m",
        "wall-clock limit of one workflow run (0: no limit)");
    public static readonly SettingDefinition MaxNodeExecutions = new("max-node-executions", "MAX_NODE_EXECUTIONS", "10000",
        "node executions per run (0: unlimited)");
    public static readonly SettingDefinition MaxHttpCalls = new("max-http-calls", "MAX_HTTP_CALLS", "100",
        "outbound HTTP calls per run (0: unlimited)");
    public static readonly SettingDefinition MaxLoopIterations = new("max-loop-iterations", "MAX_LOOP_ITERATIONS", "10000",
        "loop iterations per run, the default and the ceiling for loop nodes (0: unlimited)");
    public static readonly SettingDefinition MaxArrayLength = new("max-array-length", "MAX_ARRAY_LENGTH", "10000",
        "largest array a node may produce or a variable hold (0: unlimited)");
    public static readonly SettingDefinition MaxStringLength = new("max-string-length", "MAX_STRING_LENGTH", "1048576",
        "longest string a variable may hold, in UTF-8 bytes (0: unlimited)");
    public static readonly SettingDefinition MaxContextDepth = new("max-context-depth", "MAX_CONTEXT_DEPTH", "32",
        "deepest nesting of a stored value (0: unlimited)");
    public static readonly SettingDefinition MaxVariables = new("max-variables", "MAX_VARIABLES", "1000",
        "distinct workflow variables per run (0: unlimited)");
    public static readonly SettingDefinition MaxNodes = new("max-nodes", "MAX_NODES", "20000",
        "nodes in one payload (0: unlimited)");
    public static readonly SettingDefinition MaxEdges = new("max-edges", "MAX_EDGES", "100000",
        "edges in one payload (0: unlimited)");
    public static readonly SettingDefinition MaxExpressionLength = new("max-expression-length", "MAX_EXPRESSION_LENGTH", "16384",
        "longest expression text in a node, in characters (0: unlimited)");
    public static readonly SettingDefinition MaxExpressionDepth = new("max-expression-depth", "MAX_EXPRESSION_DEPTH", "64",
        "deepest nesting inside one expression (1 to 1024)");
    public static readonly SettingDefinition MaxResultBytes = new("max-result-bytes", "MAX_RESULT_BYTES", "67108864",
        "estimated JSON size of all node results of one run, in bytes (0: unlimited)");
    public static readonly SettingDefinition MaxRequestBodyBytes = new("max-request-body-bytes", "MAX_REQUEST_BODY_BYTES", "10485760",
        "largest request body in bytes; larger bodies get 413");
    public static readonly SettingDefinition MaxConcurrentRuns = new("max-concurrent-runs", "MAX_CONCURRENT_RUNS", "64",
        "workflow runs admitted at once; a waiting run (delay, HTTP) holds no thread, so this is not tied to the CPU count");
    public static readonly SettingDefinition RunQueueLength = new("run-queue-length", "RUN_QUEUE_LENGTH", "",
        "runs waiting for a free slot before 429 (default: max-concurrent-runs)");
    public static readonly SettingDefinition MaxRunsPerClient = new("max-runs-per-client", "MAX_RUNS_PER_CLIENT", "32",
        "runs one client (API key, else address) may have running or waiting at once; more get 429 (0: no cap)");
    public static readonly SettingDefinition MaxTestCases = new("max-test-cases", "MAX_TEST_CASES", "100",
        "cases one POST /api/v1/workflow/test request may hold; more get 400");
    public static readonly SettingDefinition MaxStoredWorkflows = new("max-stored-workflows", "MAX_STORED_WORKFLOWS", "1000",
        "distinct workflows the store keeps");
    public static readonly SettingDefinition DataDir = new("data-dir", "THAIYYAL_DATA_DIR", "./data",
        "directory of the SQLite database (thaiyyal.db) and its generated key; created on first start");
    public static readonly SettingDefinition DatabaseUrl = new("database-url", "DATABASE_URL", "",
        "PostgreSQL instead of SQLite: postgres://user:pass@host:5432/db or Host=...;Database=...", IsSecret: true);
    public static readonly SettingDefinition EncryptionKey = new("encryption-key", "THAIYYAL_ENCRYPTION_KEY", "",
        "base64 of 32 bytes sealing HTTP client configurations (default with SQLite: generated into the data directory)", IsSecret: true);
    public static readonly SettingDefinition MaxWorkflowBytes = new("max-workflow-bytes", "MAX_WORKFLOW_BYTES", "1048576",
        "largest workflow payload one save may store, in bytes; larger saves get 413 (0: no limit)");
    public static readonly SettingDefinition MaxStoreBytes = new("max-store-bytes", "MAX_STORE_BYTES", "268435456",
        "bytes all stored workflow versions may take together; saves past it get 507 (0: no limit)");
    public static readonly SettingDefinition HistoryRetention = new("history-retention", "HISTORY_RETENTION", "336h",
        "finished executions older than this are removed from the history (336h: 14 days)");
    public static readonly SettingDefinition HistoryMaxExecutions = new("history-max-executions", "HISTORY_MAX_EXECUTIONS", "100000",
        "executions the history keeps at most; the oldest finished ones beyond it are removed");
    public static readonly SettingDefinition RateLimit = new("rate-limit", "RATE_LIMIT", "100",
        "execute and validate requests per second per client (0: no rate limit)");
    public static readonly SettingDefinition RateLimitBurst = new("rate-limit-burst", "RATE_LIMIT_BURST", "200",
        "execute and validate requests a client may send at once");
    public static readonly SettingDefinition ReadRateLimit = new("read-rate-limit", "READ_RATE_LIMIT", "200",
        "other API requests per second per client, burst twice that (0: no rate limit)");
    public static readonly SettingDefinition TrustedProxies = new("trusted-proxies", "TRUSTED_PROXIES", "",
        "comma-separated CIDRs of proxies whose X-Forwarded-For/-Proto are believed (default: none, the TCP peer is the client)");
    public static readonly SettingDefinition CorsOrigins = new("cors-origins", "CORS_ORIGINS", "",
        "comma-separated origins allowed to call the API from a browser (default: same origin only)");
    public static readonly SettingDefinition ApiKeys = new("api-keys", "API_KEYS", "",
        "comma-separated API keys; when set, /api requires Authorization: Bearer KEY or X-API-Key", IsSecret: true);
    public static readonly SettingDefinition ApiKeysFile = new("api-keys-file", "API_KEYS_FILE", "",
        "file with one API key per line (added to -api-keys)");
    public static readonly SettingDefinition MetricsAccess = new("metrics-access", "METRICS_ACCESS", "open",
        "who may read /metrics: open, api-key (same keys as /api) or disabled");
    public static readonly SettingDefinition Profiling = new("profiling", "PROFILING", "false",
        "serve the profiling endpoints (/debug/pprof/*) on the admin listener", IsBoolean: true);
    public static readonly SettingDefinition AdminAddr = new("admin-addr", "ADMIN_ADDR", "localhost:6060",
        "admin listener for profiling; only started when profiling is on");
    public static readonly SettingDefinition LogLevel = new("log-level", "LOG_LEVEL", "info",
        "debug, info, warn or error");
    public static readonly SettingDefinition LogFormat = new("log-format", "LOG_FORMAT", "json",
        "json (one object per line) or text");
    public static readonly SettingDefinition History = new("history", "HISTORY", "all",
        "which synchronous runs are recorded in the execution history: all, failures or off (async runs are always recorded)");
    public static readonly SettingDefinition HistoryQueueLength = new("history-queue-length", "HISTORY_QUEUE_LENGTH", "4096",
        "finished runs waiting for the history writer; beyond that records are dropped and counted");
    public static readonly SettingDefinition HistoryMaxResultBytes = new("history-max-result-bytes", "HISTORY_MAX_RESULT_BYTES", "65536",
        "largest node result stored in the history, in bytes of JSON; longer results are truncated with a marker");
    public static readonly SettingDefinition HistoryMaxIterations = new("history-max-iterations", "HISTORY_MAX_ITERATIONS", "100",
        "iterations of each scope (loop body) recorded in the history and the event stream; later ones are counted, not stored");
    public static readonly SettingDefinition Workers = new("workers", "WORKERS", "",
        "asynchronous runs executing at once (default: CPU count)");
    public static readonly SettingDefinition AsyncQueueLength = new("async-queue-length", "ASYNC_QUEUE_LENGTH", "1000",
        "asynchronous runs waiting for a worker before mode=async answers 429");
    public static readonly SettingDefinition InstanceId = new("instance-id", "THAIYYAL_INSTANCE_ID", "",
        "this replica's name in execution records and leases (default: the host name)");
    public static readonly SettingDefinition Role = new("role", "ROLE", "all",
        "what this replica does: all (serves requests and runs queued runs), api (runs no queued runs) or worker (runs queued runs; serves only health and metrics)");
    public static readonly SettingDefinition Lease = new("lease", "LEASE", "30s",
        "how long a claimed asynchronous run stays this replica's without a heartbeat (PostgreSQL queue); renewed every third of it");
    public static readonly SettingDefinition SseHeartbeat = new("sse-heartbeat", "SSE_HEARTBEAT", "15s",
        "interval of the keep-alive comment on an execution's event stream");
    public static readonly SettingDefinition WebRoot = new("web-root", "WEB_ROOT", "",
        "folder with the web editor (default: wwwroot beside the binary)");

    /// <summary>
    /// The outbound HTTP policy of <c>http</c> nodes (security.md, "Opening doors deliberately"), read by the engine's
    /// <c>OutboundHttpSettings</c>; the flag is the variable's name in lower case with dashes.
    /// </summary>
    public static IReadOnlyList<SettingDefinition> OutboundHttp { get; } =
    [
        Http("HTTP_ENABLED", "true", "allow http nodes at all", isBoolean: true),
        Http("HTTP_ALLOWED_DOMAINS", "", "comma list of hosts http nodes may call (*.example.com matches sub-domains); empty: any"),
        Http("HTTP_BLOCKED_DOMAINS", "", "comma list of hosts always refused"),
        Http("HTTP_ALLOWED_NETWORKS", "", "comma list of CIDRs reachable although private, e.g. 10.1.2.0/24"),
        Http("HTTP_BLOCKED_NETWORKS", "", "comma list of CIDRs always refused"),
        Http("HTTP_ALLOW_PRIVATE_IPS", "false", "let http nodes reach private addresses", isBoolean: true),
        Http("HTTP_ALLOW_LOCALHOST", "false", "let http nodes reach loopback", isBoolean: true),
        Http("HTTP_ALLOW_LINK_LOCAL", "false", "let http nodes reach link-local addresses", isBoolean: true),
        Http("HTTP_ALLOW_CLOUD_METADATA", "false", "let http nodes reach cloud metadata addresses", isBoolean: true),
        Http("HTTP_ALLOWED_PORTS", "80,443", "ports http nodes may call; empty: any"),
        Http("HTTP_MAX_REDIRECTS", "10", "redirects an http node follows"),
        Http("HTTP_MAX_RESPONSE_BYTES", "10485760", "largest response body an http node reads"),
        Http("HTTP_TIMEOUT", "30s", "time limit of one outbound request"),
    ];

    private static SettingDefinition Http(string variable, string defaultValue, string help, bool isBoolean = false) =>
        new(variable.ToLowerInvariant().Replace('_', '-'), variable, defaultValue, help, IsBoolean: isBoolean);

    /// <summary>All settings in usage order.</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        Profile, Addr, ReadTimeout, WriteTimeout, ShutdownTimeout, DrainDelay,
        MaxExecutionTime, MaxNodeExecutions, MaxHttpCalls, MaxLoopIterations, MaxArrayLength, MaxStringLength,
        MaxContextDepth, MaxVariables, MaxNodes, MaxEdges, MaxExpressionLength, MaxExpressionDepth, MaxResultBytes, MaxRequestBodyBytes,
        MaxConcurrentRuns, RunQueueLength, MaxRunsPerClient, MaxTestCases, MaxStoredWorkflows, DataDir, DatabaseUrl, EncryptionKey, MaxWorkflowBytes, MaxStoreBytes,
        HistoryRetention, HistoryMaxExecutions, RateLimit, RateLimitBurst, ReadRateLimit, TrustedProxies,
        CorsOrigins, ApiKeys, ApiKeysFile, MetricsAccess, Profiling, AdminAddr, LogLevel, LogFormat, WebRoot,
        History, HistoryQueueLength, HistoryMaxResultBytes, HistoryMaxIterations, Workers, AsyncQueueLength, InstanceId, Role, Lease, SseHeartbeat,
        .. OutboundHttp,
    ];

    /// <summary>
    /// Profile values (operations.md §2.4): the guide's three knobs; strict also takes the validation
    /// preset's structural limits; development turns profiling on and lets http nodes reach localhost and
    /// private addresses. Production is the built-in defaults.
    /// </summary>
    public static IReadOnlyDictionary<ServerProfile, IReadOnlyDictionary<string, string>> Profiles { get; } =
        new Dictionary<ServerProfile, IReadOnlyDictionary<string, string>>
        {
            [ServerProfile.Development] = new Dictionary<string, string>
            {
                [MaxExecutionTime.Flag] = "10m",
                [MaxNodeExecutions.Flag] = "50000",
                [MaxHttpCalls.Flag] = "500",
                [Profiling.Flag] = "true",
                ["http-allow-localhost"] = "true",
                ["http-allow-private-ips"] = "true",
            },
            [ServerProfile.Production] = new Dictionary<string, string>
            {
                [MaxExecutionTime.Flag] = "5m",
                [MaxNodeExecutions.Flag] = "10000",
                [MaxHttpCalls.Flag] = "100",
            },
            [ServerProfile.Strict] = new Dictionary<string, string>
            {
                [MaxExecutionTime.Flag] = "30s",
                [MaxNodeExecutions.Flag] = "1000",
                [MaxHttpCalls.Flag] = "10",
                [MaxNodes.Flag] = "100",
                [MaxEdges.Flag] = "1000",
                [MaxStringLength.Flag] = "102400",
                [MaxArrayLength.Flag] = "1000",
                [MaxContextDepth.Flag] = "16",
                [MaxVariables.Flag] = "100",
                [MaxResultBytes.Flag] = "16777216",
            },
        };
}

/// <summary>The selectable configuration profiles.</summary>
public enum ServerProfile
{
    Development,
    Production,
    Strict,
}
