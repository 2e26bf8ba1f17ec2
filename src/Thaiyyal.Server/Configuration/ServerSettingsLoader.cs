using System.Globalization;
using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using static Thaiyyal.Server.Configuration.SettingDefinitions;

namespace Thaiyyal.Server.Configuration;

/// <summary>The outcome of reading the configuration: settings, or an error, or a request for usage.</summary>
public sealed record SettingsLoadResult(ServerSettings? Settings, string? Error, bool HelpRequested)
{
    /// <summary>Exit code when the server must not start: 0 for <c>-h</c>, 2 for a bad setting (Go's flag convention).</summary>
    public int ExitCode => HelpRequested ? 0 : 2;
}

/// <summary>
/// Builds <see cref="ServerSettings"/> from command-line flags, environment variables, the selected profile and
/// built-in defaults, in that order of precedence (operations.md §2.2). Every value is checked; the first bad one
/// stops start-up with a message naming the flag and the variable.
/// </summary>
public static class ServerSettingsLoader
{
    public static SettingsLoadResult Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var flags = CommandLineFlags.Parse(args, All);
        if (flags.HelpRequested) return new SettingsLoadResult(null, null, true);
        if (flags.Error is not null) return new SettingsLoadResult(null, flags.Error, false);
        try
        {
            return new SettingsLoadResult(Build(flags, environment), null, false);
        }
        catch (InvalidSettingException ex)
        {
            return new SettingsLoadResult(null, ex.Message, false);
        }
    }

    /// <summary>Usage text: every flag with its variable and default.</summary>
    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: thaiyyal-server [flags]");
        text.AppendLine();
        text.AppendLine("Precedence: flag > environment variable > profile > default. Durations use Go syntax (30s, 5m, 1h2m).");
        text.AppendLine();
        foreach (var d in All)
        {
            text.Append("  -").Append(d.Flag).Append(d.IsBoolean ? "" : " value");
            if (d.EnvironmentVariable is not null) text.Append("   (env ").Append(d.EnvironmentVariable).Append(')');
            text.AppendLine();
            text.Append("        ").Append(d.Help);
            if (d.Default.Length > 0) text.Append(" (default ").Append(d.Default).Append(')');
            text.AppendLine();
        }
        return text.ToString();
    }

    private static ServerSettings Build(CommandLineFlags flags, IReadOnlyDictionary<string, string> environment)
    {
        var raw = new RawSettings(flags, environment);
        var profileText = raw.Value(Profile, null);
        var profile = profileText.Value.ToLowerInvariant() switch
        {
            "development" or "dev" => ServerProfile.Development,
            "production" or "prod" => ServerProfile.Production,
            "strict" => ServerProfile.Strict,
            _ => throw Invalid(Profile, profileText, "must be development, production or strict"),
        };
        raw.Profile = SettingDefinitions.Profiles[profile];
        var warnings = new List<string>();

        var maxConcurrent = Count(raw, MaxConcurrentRuns, min: 1);
        var queue = raw.Value(RunQueueLength, null).Value.Length == 0 ? maxConcurrent : Count(raw, RunQueueLength, min: 0);
        raw.Resolve(MaxConcurrentRuns, maxConcurrent.ToString(CultureInfo.InvariantCulture));
        raw.Resolve(RunQueueLength, queue.ToString(CultureInfo.InvariantCulture));

        var limits = ExecutionLimits.Default with
        {
            MaxExecutionTime = Duration(raw, MaxExecutionTime),
            MaxNodeExecutions = Count(raw, MaxNodeExecutions),
            MaxHttpCalls = Count(raw, MaxHttpCalls),
            MaxLoopIterations = Count(raw, MaxLoopIterations),
            MaxArrayLength = Count(raw, MaxArrayLength),
            MaxStringLength = Count(raw, MaxStringLength),
            MaxContextDepth = Count(raw, MaxContextDepth),
            MaxVariables = Count(raw, MaxVariables),
            MaxNodes = Count(raw, MaxNodes),
            MaxEdges = Count(raw, MaxEdges),
            MaxExpressionLength = Count(raw, MaxExpressionLength),
            MaxExpressionDepth = Count(raw, MaxExpressionDepth, min: 1, max: ExecutionLimits.ExpressionDepthCeiling),
            MaxResultBytes = ByteCount(raw, MaxResultBytes),
        };
        var bodyBytes = Count(raw, MaxRequestBodyBytes, min: 1);
        limits = limits with { MaxPayloadBytes = Math.Min(limits.MaxPayloadBytes, bodyBytes) };

        var workers = raw.Value(Workers, null).Value.Length == 0 ? Math.Max(1, Environment.ProcessorCount) : Count(raw, Workers, min: 1);
        raw.Resolve(Workers, workers.ToString(CultureInfo.InvariantCulture));
        var heartbeat = Duration(raw, SseHeartbeat);
        if (heartbeat == TimeSpan.Zero) throw Invalid(SseHeartbeat, raw.Value(SseHeartbeat, null), "must be positive");
        var executions = new ExecutionSettings
        {
            History = HistoryModeOf(raw),
            HistoryQueueLength = Count(raw, HistoryQueueLength, min: 1),
            MaxResultBytes = Count(raw, HistoryMaxResultBytes, min: 16),
            MaxIterations = Count(raw, HistoryMaxIterations),
            Workers = workers,
            AsyncQueueLength = Count(raw, AsyncQueueLength, min: 1),
            SseHeartbeat = heartbeat,
            InstanceId = InstanceIdOf(raw),
            Role = RoleOf(raw),
            Lease = LeaseOf(raw),
        };

        var settings = new ServerSettings
        {
            Profile = profile,
            Address = Address(raw, Addr),
            ReadTimeout = Duration(raw, ReadTimeout),
            WriteTimeout = Duration(raw, WriteTimeout),
            ShutdownTimeout = Duration(raw, ShutdownTimeout),
            DrainDelay = Duration(raw, DrainDelay),
            Limits = limits,
            MaxRequestBodyBytes = bodyBytes,
            Http = OutboundHttpPolicy(raw),
            MaxConcurrentRuns = maxConcurrent,
            RunQueueLength = queue,
            MaxRunsPerClient = Count(raw, MaxRunsPerClient),
            MaxTestCases = Count(raw, MaxTestCases, min: 1),
            TrustedProxies = Networks(raw, TrustedProxies),
            MaxStoredWorkflows = Count(raw, MaxStoredWorkflows, min: 1),
            Store = new Thaiyyal.Storage.StoreOptions
            {
                DataDirectory = raw.Value(DataDir, null).Value is { Length: > 0 } dataDir ? dataDir : "./data",
                DatabaseUrl = raw.Value(DatabaseUrl, null).Value is { Length: > 0 } url ? url : null,
                EncryptionKey = raw.Value(EncryptionKey, null).Value is { Length: > 0 } key ? key : null,
                MaxWorkflowBytes = Bytes(raw, MaxWorkflowBytes),
                MaxTotalWorkflowBytes = Bytes(raw, MaxStoreBytes),
                MaxWorkflows = Count(raw, MaxStoredWorkflows, min: 1),
            },
            HistoryRetention = Duration(raw, HistoryRetention) is { Ticks: > 0 } retention
                ? retention
                : throw Invalid(HistoryRetention, raw.Value(HistoryRetention, null), "must be longer than 0s"),
            HistoryMaxExecutions = Count(raw, HistoryMaxExecutions, min: 1),
            RateLimit = Rate(raw, RateLimit),
            RateLimitBurst = Count(raw, RateLimitBurst, min: 1),
            ReadRateLimit = Rate(raw, ReadRateLimit),
            CorsOrigins = Origins(raw, profile),
            ApiKeys = Keys(raw),
            MetricsAccess = Metrics(raw),
            Profiling = Bool(raw, Profiling),
            AdminAddress = Address(raw, AdminAddr),
            LogLevel = Level(raw, warnings),
            LogFormat = Format(raw),
            WebRoot = raw.Value(WebRoot, null).Value is { Length: > 0 } root ? root : null,
            Executions = executions,
        };
        return settings with { Effective = raw.Effective(), Warnings = warnings };
    }

    /// <summary>The engine reads the HTTP_* settings itself; values come through the same four layers.</summary>
    private static OutboundHttpOptions OutboundHttpPolicy(RawSettings raw)
    {
        var byVariable = SettingDefinitions.OutboundHttp.ToDictionary(d => d.EnvironmentVariable!, StringComparer.Ordinal);
        string? current = null;
        try
        {
            return OutboundHttpSettings.Read(name =>
            {
                current = name;
                var v = raw.Value(byVariable[name], null);
                // A default is "unset" for the engine's reader; an explicit empty flag means an empty list.
                return v.Source == SettingSource.Default ? null : v.Value;
            });
        }
        catch (FormatException ex)
        {
            var d = byVariable[current!];
            throw Invalid(d, raw.Value(d, null), ex.Message);
        }
    }

    private static TimeSpan Duration(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        if (!Engine.Compatibility.GoDuration.TryParseStrict(v.Value, out var duration)) throw Invalid(d, v, "not a duration (use formats like 30s, 5m, 1h2m)");
        if (duration < TimeSpan.Zero) throw Invalid(d, v, "must not be negative");
        return duration;
    }

    private static int Count(RawSettings raw, SettingDefinition d, int min = 0, int max = int.MaxValue)
    {
        var v = raw.Value(d, null);
        if (!int.TryParse(v.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) throw Invalid(d, v, "not an integer");
        if (n < min) throw Invalid(d, v, min == 0 ? "must not be negative" : $"must be at least {min}");
        if (n > max) throw Invalid(d, v, $"must be at most {max}");
        return n;
    }

    private static long Bytes(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        if (!long.TryParse(v.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) throw Invalid(d, v, "not an integer");
        if (n < 0) throw Invalid(d, v, "must not be negative");
        return n;
    }

    private static long ByteCount(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        if (!long.TryParse(v.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) throw Invalid(d, v, "not an integer");
        if (n < 0) throw Invalid(d, v, "must not be negative");
        return n;
    }

    private static double Rate(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        if (!double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            throw Invalid(d, v, "not a number");
        if (n < 0) throw Invalid(d, v, "must not be negative");
        return n;
    }

    private static bool Bool(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        return CommandLineFlags.TryParseBool(v.Value, out var b) ? b : throw Invalid(d, v, "must be true or false");
    }

    private static ListenAddress Address(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        return ListenAddress.TryParse(v.Value, out var address, out var error) ? address! : throw Invalid(d, v, error);
    }

    private static IReadOnlyList<string> Origins(RawSettings raw, ServerProfile profile)
    {
        var v = raw.Value(CorsOrigins, null);
        var origins = Split(v.Value);
        foreach (var origin in origins)
        {
            if (origin == "*")
            {
                if (profile != ServerProfile.Development) throw Invalid(CorsOrigins, v, "'*' is only allowed with the development profile; list the origins");
                continue;
            }
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
                throw Invalid(CorsOrigins, v, $"\"{origin}\" is not an origin like https://editor.example.com");
        }
        return origins;
    }

    /// <summary>CIDRs (<c>10.0.0.0/8</c>) or single addresses (<c>10.1.2.3</c>, taken as /32 or /128).</summary>
    private static IReadOnlyList<System.Net.IPNetwork> Networks(RawSettings raw, SettingDefinition d)
    {
        var v = raw.Value(d, null);
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in Split(v.Value))
        {
            if (System.Net.IPNetwork.TryParse(item, out var network)) networks.Add(network);
            else if (System.Net.IPAddress.TryParse(item, out var address)) networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else throw Invalid(d, v, $"\"{item}\" is not a CIDR like 10.0.0.0/8 or an address");
        }
        return networks;
    }

    private static IReadOnlyList<string> Keys(RawSettings raw)
    {
        var keys = new List<string>(Split(raw.Value(ApiKeys, null).Value));
        var file = raw.Value(ApiKeysFile, null);
        if (file.Value.Length > 0)
        {
            try
            {
                keys.AddRange(File.ReadAllLines(file.Value).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Invalid(ApiKeysFile, file, $"cannot read the file: {ex.Message}");
            }
        }
        return keys;
    }

    private static MetricsAccess Metrics(RawSettings raw)
    {
        var v = raw.Value(SettingDefinitions.MetricsAccess, null);
        return v.Value.ToLowerInvariant() switch
        {
            "open" => Configuration.MetricsAccess.Open,
            "api-key" or "apikey" => Configuration.MetricsAccess.ApiKey,
            "disabled" or "off" => Configuration.MetricsAccess.Disabled,
            _ => throw Invalid(SettingDefinitions.MetricsAccess, v, "must be open, api-key or disabled"),
        };
    }

    /// <summary>An unknown level falls back to info with a warning instead of stopping (operations.md §2.2).</summary>
    private static LogLevel Level(RawSettings raw, List<string> warnings)
    {
        var v = raw.Value(SettingDefinitions.LogLevel, null);
        switch (v.Value.ToLowerInvariant())
        {
            case "debug": return Microsoft.Extensions.Logging.LogLevel.Debug;
            case "info": return Microsoft.Extensions.Logging.LogLevel.Information;
            case "warn" or "warning": return Microsoft.Extensions.Logging.LogLevel.Warning;
            case "error": return Microsoft.Extensions.Logging.LogLevel.Error;
            default:
                warnings.Add($"unknown log level \"{v.Value}\" for -log-level ({Describe(v.Source, SettingDefinitions.LogLevel)}); using info");
                return Microsoft.Extensions.Logging.LogLevel.Information;
        }
    }

    private static string InstanceIdOf(RawSettings raw)
    {
        var v = raw.Value(InstanceId, null);
        var id = v.Value.Trim();
        if (id.Length == 0) id = Environment.MachineName;
        if (id.Length > 200) throw Invalid(InstanceId, v, "must be at most 200 characters");
        raw.Resolve(InstanceId, id);
        return id;
    }

    private static ServerRole RoleOf(RawSettings raw)
    {
        var v = raw.Value(SettingDefinitions.Role, null);
        return v.Value.ToLowerInvariant() switch
        {
            "all" => ServerRole.All,
            "api" => ServerRole.Api,
            "worker" => ServerRole.Worker,
            _ => throw Invalid(SettingDefinitions.Role, v, "must be api, worker or all"),
        };
    }

    private static TimeSpan LeaseOf(RawSettings raw)
    {
        var lease = Duration(raw, Lease);
        if (lease < TimeSpan.FromSeconds(1)) throw Invalid(Lease, raw.Value(Lease, null), "must be at least 1s");
        return lease;
    }

    private static HistoryMode HistoryModeOf(RawSettings raw)
    {
        var v = raw.Value(History, null);
        return v.Value.ToLowerInvariant() switch
        {
            "all" => HistoryMode.All,
            "failures" => HistoryMode.Failures,
            "off" => HistoryMode.Off,
            _ => throw Invalid(History, v, "must be all, failures or off"),
        };
    }

    private static LogFormat Format(RawSettings raw)
    {
        var v = raw.Value(SettingDefinitions.LogFormat, null);
        return v.Value.ToLowerInvariant() switch
        {
            "json" => Configuration.LogFormat.Json,
            "text" => Configuration.LogFormat.Text,
            _ => throw Invalid(SettingDefinitions.LogFormat, v, "must be json or text"),
        };
    }

    private static string[] Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static InvalidSettingException Invalid(SettingDefinition d, RawValue v, string reason) =>
        new($"invalid value \"{(d.IsSecret ? Redacted : v.Value)}\" for -{d.Flag} ({Describe(v.Source, d)}): {reason}");

    private static string Describe(SettingSource source, SettingDefinition d) => source switch
    {
        SettingSource.Flag => "from the command line",
        SettingSource.Environment => $"from environment variable {d.EnvironmentVariable}",
        SettingSource.Profile => "from the profile",
        _ => "default",
    };

    internal const string Redacted = "***REDACTED***";

    private readonly record struct RawValue(string Value, SettingSource Source);

    /// <summary>Looks each setting up through the four layers and remembers what it found, for the startup log.</summary>
    private sealed class RawSettings(CommandLineFlags flags, IReadOnlyDictionary<string, string> environment)
    {
        private readonly Dictionary<string, RawValue> _seen = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, string> Profile { get; set; } = new Dictionary<string, string>();

        public RawValue Value(SettingDefinition d, string? fallback)
        {
            RawValue v;
            if (flags.Values.TryGetValue(d.Flag, out var flag)) v = new(flag, SettingSource.Flag);
            else if (d.EnvironmentVariable is not null && environment.TryGetValue(d.EnvironmentVariable, out var env) && env.Length > 0)
                v = new(env, SettingSource.Environment);
            else if (Profile.TryGetValue(d.Flag, out var fromProfile)) v = new(fromProfile, SettingSource.Profile);
            else v = new(fallback ?? d.Default, SettingSource.Default);
            _seen[d.Flag] = v;
            return v;
        }

        /// <summary>Records the value a default was derived to (e.g. the CPU-based run slots), for the startup log.</summary>
        public void Resolve(SettingDefinition d, string value)
        {
            if (_seen.TryGetValue(d.Flag, out var v) && v.Value.Length == 0) _seen[d.Flag] = v with { Value = value };
        }

        public IReadOnlyList<EffectiveSetting> Effective() =>
            [.. All.Where(d => _seen.ContainsKey(d.Flag)).Select(d =>
            {
                var v = _seen[d.Flag];
                return new EffectiveSetting(d.Flag, d.IsSecret && v.Value.Length > 0 ? Redacted : v.Value, v.Source);
            })];
    }

    private sealed class InvalidSettingException(string message) : Exception(message);
}
