using System.Globalization;
using System.Numerics;
using System.Text;
using Thaiyyal.Engine.Compatibility;
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
/// Builds <see cref="ServerSettings"/> from the layered configuration (<see cref="ServerConfiguration"/>: flags over
/// environment variables over the selected profile over built-in defaults, operations.md §2.2). Each value is converted
/// here; a value that does not parse stops start-up with a message naming the flag and the variable, and the ranges and
/// relations between values are checked by <see cref="ServerSettingsValidator"/> with messages of the same form.
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
            var profile = new SettingReader(ServerConfiguration.Build(flags, environment, null)).Read(Profile, ProfileOf);
            var settings = Bind(new SettingReader(ServerConfiguration.Build(flags, environment, Profiles[profile])));
            var failures = ServerSettingsValidator.Check(settings);
            return failures.Count == 0 ? new SettingsLoadResult(settings, null, false) : new SettingsLoadResult(null, string.Join("; ", failures), false);
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

    private static ServerSettings Bind(SettingReader raw)
    {
        var profile = raw.Read(Profile, ProfileOf);
        var warnings = new List<string>();
        var maxConcurrent = raw.Count(MaxConcurrentRuns);
        var bodyBytes = raw.Count(MaxRequestBodyBytes);
        var limits = ExecutionLimits.Default with
        {
            MaxExecutionTime = raw.Duration(MaxExecutionTime),
            MaxNodeExecutions = raw.Count(MaxNodeExecutions),
            MaxHttpCalls = raw.Count(MaxHttpCalls),
            MaxLoopIterations = raw.Count(MaxLoopIterations),
            MaxArrayLength = raw.Count(MaxArrayLength),
            MaxStringLength = raw.Count(MaxStringLength),
            MaxContextDepth = raw.Count(MaxContextDepth),
            MaxVariables = raw.Count(MaxVariables),
            MaxNodes = raw.Count(MaxNodes),
            MaxEdges = raw.Count(MaxEdges),
            MaxExpressionLength = raw.Count(MaxExpressionLength),
            MaxExpressionDepth = raw.Count(MaxExpressionDepth),
            MaxResultBytes = raw.Read(MaxResultBytes, Integer<long>),
        };
        var executions = new ExecutionSettings
        {
            History = raw.Read(History, Choice("must be all, failures or off", ("all", HistoryMode.All), ("failures", HistoryMode.Failures), ("off", HistoryMode.Off))),
            HistoryQueueLength = raw.Count(HistoryQueueLength),
            MaxResultBytes = raw.Count(HistoryMaxResultBytes),
            MaxIterations = raw.Count(HistoryMaxIterations),
            Workers = raw.Read(Workers, Integer<int>, whenEmpty: Math.Max(1, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture)),
            AsyncQueueLength = raw.Count(AsyncQueueLength),
            SseHeartbeat = raw.Duration(SseHeartbeat),
            InstanceId = raw.Read(InstanceId, text => text.Trim() is { Length: > 0 } id ? id : Environment.MachineName, whenEmpty: Environment.MachineName),
            Role = raw.Read(SettingDefinitions.Role, Choice("must be api, worker or all", ("all", ServerRole.All), ("api", ServerRole.Api), ("worker", ServerRole.Worker))),
            Lease = raw.Duration(Lease),
        };
        var settings = new ServerSettings
        {
            Profile = profile,
            Address = raw.Read(Addr, AddressOf),
            ReadTimeout = raw.Duration(ReadTimeout),
            WriteTimeout = raw.Duration(WriteTimeout),
            ShutdownTimeout = raw.Duration(ShutdownTimeout),
            DrainDelay = raw.Duration(DrainDelay),
            Limits = limits with { MaxPayloadBytes = Math.Min(limits.MaxPayloadBytes, bodyBytes) },
            MaxRequestBodyBytes = bodyBytes,
            Http = OutboundHttpPolicy(raw),
            MaxConcurrentRuns = maxConcurrent,
            RunQueueLength = raw.Read(RunQueueLength, Integer<int>, whenEmpty: maxConcurrent.ToString(CultureInfo.InvariantCulture)),
            MaxRunsPerClient = raw.Count(MaxRunsPerClient),
            MaxTestCases = raw.Count(MaxTestCases),
            TrustedProxies = raw.Read(TrustedProxies, Networks),
            MaxStoredWorkflows = raw.Count(MaxStoredWorkflows),
            Store = new Thaiyyal.Storage.StoreOptions
            {
                DataDirectory = raw.Read(DataDir, text => text, whenEmpty: "./data"),
                DatabaseUrl = raw.Read(DatabaseUrl, NullIfEmpty),
                EncryptionKey = raw.Read(EncryptionKey, NullIfEmpty),
                MaxWorkflowBytes = raw.Read(MaxWorkflowBytes, Integer<long>),
                MaxTotalWorkflowBytes = raw.Read(MaxStoreBytes, Integer<long>),
                MaxWorkflows = raw.Count(MaxStoredWorkflows),
            },
            HistoryRetention = raw.Duration(HistoryRetention),
            HistoryMaxExecutions = raw.Count(HistoryMaxExecutions),
            RateLimit = raw.Read(RateLimit, Rate),
            RateLimitBurst = raw.Count(RateLimitBurst),
            ReadRateLimit = raw.Read(ReadRateLimit, Rate),
            CorsOrigins = raw.Read(CorsOrigins, Split),
            ApiKeys = [.. raw.Read(ApiKeys, Split), .. raw.Read(ApiKeysFile, KeysInFile)],
            MetricsAccess = raw.Read(SettingDefinitions.MetricsAccess, Choice("must be open, api-key or disabled",
                ("open", Configuration.MetricsAccess.Open), ("api-key", Configuration.MetricsAccess.ApiKey), ("apikey", Configuration.MetricsAccess.ApiKey),
                ("disabled", Configuration.MetricsAccess.Disabled), ("off", Configuration.MetricsAccess.Disabled))),
            Profiling = raw.Read(Profiling, text => CommandLineFlags.TryParseBool(text, out var on) ? on : throw new FormatException("must be true or false")),
            AdminAddress = raw.Read(AdminAddr, AddressOf),
            LogLevel = LevelOf(raw, warnings),
            LogFormat = raw.Read(SettingDefinitions.LogFormat, Choice("must be json or text", ("json", Configuration.LogFormat.Json), ("text", Configuration.LogFormat.Text))),
            WebRoot = raw.Read(WebRoot, NullIfEmpty),
            Executions = executions,
        };
        return settings with { Effective = raw.Effective(), Warnings = warnings };
    }

    /// <summary>The engine reads the HTTP_* settings itself; values come through the same four layers.</summary>
    private static OutboundHttpOptions OutboundHttpPolicy(SettingReader raw)
    {
        var byVariable = SettingDefinitions.OutboundHttp.ToDictionary(d => d.EnvironmentVariable!, StringComparer.Ordinal);
        string? current = null;
        try
        {
            return OutboundHttpSettings.Read(name =>
            {
                current = name;
                var (text, source) = raw.Text(byVariable[name]);
                // A default is "unset" for the engine's reader; an explicit empty flag means an empty list.
                return source == SettingSource.Default ? null : text;
            });
        }
        catch (FormatException ex)
        {
            throw raw.Invalid(byVariable[current!], ex.Message);
        }
    }

    /// <summary>An unknown level falls back to info with a warning instead of stopping (operations.md §2.2).</summary>
    private static LogLevel LevelOf(SettingReader raw, List<string> warnings)
    {
        var level = raw.Read(SettingDefinitions.LogLevel, text => text.ToLowerInvariant() switch
        {
            "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
            "info" => Microsoft.Extensions.Logging.LogLevel.Information,
            "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
            "error" => Microsoft.Extensions.Logging.LogLevel.Error,
            _ => (LogLevel?)null,
        });
        if (level is { } known) return known;
        var (text, source) = raw.Text(SettingDefinitions.LogLevel);
        warnings.Add($"unknown log level \"{text}\" for -log-level ({Describe(source, SettingDefinitions.LogLevel)}); using info");
        return Microsoft.Extensions.Logging.LogLevel.Information;
    }

    private static ServerProfile ProfileOf(string text) => Choice("must be development, production or strict",
        ("development", ServerProfile.Development), ("dev", ServerProfile.Development), ("production", ServerProfile.Production),
        ("prod", ServerProfile.Production), ("strict", ServerProfile.Strict))(text);

    // Converters: each throws FormatException with the problem; SettingReader.Read adds the flag and the source.

    private static T Integer<T>(string text) where T : IBinaryInteger<T> =>
        T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException("not an integer");

    private static double Rate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : throw new FormatException("not a number");

    private static Func<string, T> Choice<T>(string problem, params (string Name, T Value)[] choices) => text =>
    {
        foreach (var (name, value) in choices)
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        throw new FormatException(problem);
    };

    private static ListenAddress AddressOf(string text) =>
        ListenAddress.TryParse(text, out var address, out var error) ? address! : throw new FormatException(error);

    private static string? NullIfEmpty(string text) => text.Length > 0 ? text : null;

    private static string[] Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>CIDRs (<c>10.0.0.0/8</c>) or single addresses (<c>10.1.2.3</c>, taken as /32 or /128).</summary>
    private static IReadOnlyList<System.Net.IPNetwork> Networks(string list) =>
    [
        .. Split(list).Select(item =>
            System.Net.IPNetwork.TryParse(item, out var network) ? network
            : System.Net.IPAddress.TryParse(item, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
            : throw new FormatException($"\"{item}\" is not a CIDR like 10.0.0.0/8 or an address")),
    ];

    private static IEnumerable<string> KeysInFile(string path)
    {
        if (path.Length == 0) return [];
        try
        {
            return [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // ArgumentException: a path no file system accepts (a NUL character).
            throw new FormatException($"cannot read the file: {ex.Message}");
        }
    }

    internal static string Describe(SettingSource source, SettingDefinition d) => source switch
    {
        SettingSource.Flag => "from the command line",
        SettingSource.Environment => $"from environment variable {d.EnvironmentVariable}",
        SettingSource.Profile => "from the profile",
        SettingSource.Code => "set in code",
        _ => "default",
    };

    internal const string Redacted = "***REDACTED***";

    /// <summary>Reads each setting's text from the configuration, remembering its value and layer for the startup log.</summary>
    private sealed class SettingReader(IConfigurationRoot configuration)
    {
        private readonly Dictionary<string, (string Text, SettingSource Source)> _seen = new(StringComparer.Ordinal);

        /// <summary>The text of the highest layer that sets <paramref name="d"/>; an empty text means <paramref name="whenEmpty"/> when given.</summary>
        public (string Text, SettingSource Source) Text(SettingDefinition d, string? whenEmpty = null)
        {
            var (text, source) = ServerConfiguration.Lookup(configuration, d.Flag);
            if (text.Length == 0 && whenEmpty is not null) text = whenEmpty;
            return _seen[d.Flag] = (text, source);
        }

        public T Read<T>(SettingDefinition d, Func<string, T> convert, string? whenEmpty = null)
        {
            try
            {
                return convert(Text(d, whenEmpty).Text);
            }
            catch (FormatException ex)
            {
                throw Invalid(d, ex.Message);
            }
        }

        public int Count(SettingDefinition d) => Read(d, Integer<int>);

        public TimeSpan Duration(SettingDefinition d) => Read(d, text =>
            GoDuration.TryParseStrict(text, out var duration) ? duration : throw new FormatException("not a duration (use formats like 30s, 5m, 1h2m)"));

        public InvalidSettingException Invalid(SettingDefinition d, string problem)
        {
            var (text, source) = _seen[d.Flag];
            return new InvalidSettingException(ServerSettingsValidator.Message(d, d.IsSecret ? Redacted : text, source, problem));
        }

        public IReadOnlyList<EffectiveSetting> Effective() =>
        [
            .. All.Where(d => _seen.ContainsKey(d.Flag))
                .Select(d => new EffectiveSetting(d.Flag, d.IsSecret && _seen[d.Flag].Text.Length > 0 ? Redacted : _seen[d.Flag].Text, _seen[d.Flag].Source)),
        ];
    }

    private sealed class InvalidSettingException(string message) : Exception(message);
}
