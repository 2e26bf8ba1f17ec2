using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Options;
using Thaiyyal.Engine.Compatibility;
using static Thaiyyal.Server.Configuration.SettingDefinitions;

namespace Thaiyyal.Server.Configuration;

/// <summary>
/// The ranges of the settings and the rules between them. The loader runs it before anything starts; the host runs it
/// again on start (<c>ValidateOnStart</c>) for settings an embedder built in code. Each failure names the flag, the
/// value and where the value came from, e.g. <c>invalid value "0" for -workers (from environment variable WORKERS): must be at least 1</c>.
/// </summary>
public sealed class ServerSettingsValidator : IValidateOptions<ServerSettings>
{
    public ValidateOptionsResult Validate(string? name, ServerSettings options) =>
        Check(options) is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;

    public static IReadOnlyList<string> Check(ServerSettings settings)
    {
        var effective = settings.Effective.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var rule in Rules)
        {
            if (rule.Problem(settings) is not { } problem) continue;
            // The configured text and its source, unless the value was changed in code after loading.
            var text = rule.Text(settings);
            var source = SettingSource.Code;
            if (effective.TryGetValue(rule.Setting.Flag, out var e) && rule.Canonical(e.Value) == text) (text, source) = (e.Value, e.Source);
            failures.Add(Message(rule.Setting, text, source, problem));
        }
        return failures;
    }

    internal static string Message(SettingDefinition d, string text, SettingSource source, string problem) =>
        $"invalid value \"{text}\" for -{d.Flag} ({ServerSettingsLoader.Describe(source, d)}): {problem}";

    /// <summary>
    /// One setting's rule. <c>Text</c> gives the value as text in the form <c>Canonical</c> turns configured text into,
    /// so a value changed in code after loading is not blamed on the flag; <c>Problem</c> is null when the value is fine.
    /// </summary>
    private sealed record Rule(SettingDefinition Setting, Func<ServerSettings, string> Text, Func<string, string?> Canonical, Func<ServerSettings, string?> Problem);

    private static readonly Rule[] Rules =
    [
        Duration(ReadTimeout, s => s.ReadTimeout),
        Duration(WriteTimeout, s => s.WriteTimeout),
        Duration(ShutdownTimeout, s => s.ShutdownTimeout),
        Duration(DrainDelay, s => s.DrainDelay),
        Duration(MaxExecutionTime, s => s.Limits.MaxExecutionTime),
        Number(MaxNodeExecutions, s => s.Limits.MaxNodeExecutions),
        Number(MaxHttpCalls, s => s.Limits.MaxHttpCalls),
        Number(MaxLoopIterations, s => s.Limits.MaxLoopIterations),
        Number(MaxArrayLength, s => s.Limits.MaxArrayLength),
        Number(MaxStringLength, s => s.Limits.MaxStringLength),
        Number(MaxContextDepth, s => s.Limits.MaxContextDepth),
        Number(MaxVariables, s => s.Limits.MaxVariables),
        Number(MaxNodes, s => s.Limits.MaxNodes),
        Number(MaxEdges, s => s.Limits.MaxEdges),
        Number(MaxExpressionLength, s => s.Limits.MaxExpressionLength),
        Number(MaxExpressionDepth, s => s.Limits.MaxExpressionDepth, min: 1, max: ExecutionLimits.ExpressionDepthCeiling),
        Number(MaxResultBytes, s => s.Limits.MaxResultBytes),
        Number(MaxRequestBodyBytes, s => s.MaxRequestBodyBytes, min: 1),
        Number(MaxConcurrentRuns, s => s.MaxConcurrentRuns, min: 1),
        Number(RunQueueLength, s => s.RunQueueLength),
        Number(MaxRunsPerClient, s => s.MaxRunsPerClient),
        Number(MaxTestCases, s => s.MaxTestCases, min: 1),
        Number(MaxStoredWorkflows, s => s.MaxStoredWorkflows, min: 1),
        Number(MaxWorkflowBytes, s => s.Store.MaxWorkflowBytes),
        Number(MaxStoreBytes, s => s.Store.MaxTotalWorkflowBytes),
        Duration(HistoryRetention, s => s.HistoryRetention, TimeSpan.FromTicks(1), "must be longer than 0s"),
        Number(HistoryMaxExecutions, s => s.HistoryMaxExecutions, min: 1),
        Number(RateLimit, s => s.RateLimit),
        Number(RateLimitBurst, s => s.RateLimitBurst, min: 1),
        Number(ReadRateLimit, s => s.ReadRateLimit),
        new(CorsOrigins, s => string.Join(",", s.CorsOrigins),
            t => string.Join(",", t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            s => s.CorsOrigins.Select(o => OriginProblem(o, s.Profile)).FirstOrDefault(p => p is not null)),
        Number(HistoryQueueLength, s => s.Executions.HistoryQueueLength, min: 1),
        Number(HistoryMaxResultBytes, s => s.Executions.MaxResultBytes, min: 16),
        Number(HistoryMaxIterations, s => s.Executions.MaxIterations),
        Number(Workers, s => s.Executions.Workers, min: 1),
        Number(AsyncQueueLength, s => s.Executions.AsyncQueueLength, min: 1),
        new(InstanceId, s => s.Executions.InstanceId, t => t.Trim(), s => s.Executions.InstanceId.Length > 200 ? "must be at most 200 characters" : null),
        Duration(Lease, s => s.Executions.Lease, TimeSpan.FromSeconds(1), "must be at least 1s"),
        Duration(SseHeartbeat, s => s.Executions.SseHeartbeat, TimeSpan.FromTicks(1), "must be positive"),
    ];

    private static Rule Number<T>(SettingDefinition d, Func<ServerSettings, T> value, int min = 0, int? max = null) where T : INumber<T> =>
        new(d, s => value(s).ToString(null, CultureInfo.InvariantCulture),
            t => T.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n.ToString(null, CultureInfo.InvariantCulture) : null, s =>
            value(s) < T.CreateChecked(min) ? (min == 0 ? "must not be negative" : string.Create(CultureInfo.InvariantCulture, $"must be at least {min}"))
            : max is { } most && value(s) > T.CreateChecked(most) ? string.Create(CultureInfo.InvariantCulture, $"must be at most {most}")
            : null);

    private static Rule Duration(SettingDefinition d, Func<ServerSettings, TimeSpan> value, TimeSpan minimum = default, string? belowMinimum = null) =>
        new(d, s => GoDuration.Format(value(s)), t => GoDuration.TryParseStrict(t, out var parsed) ? GoDuration.Format(parsed) : null, s =>
            value(s) < TimeSpan.Zero ? "must not be negative"
            : value(s) < minimum ? belowMinimum
            : null);

    private static string? OriginProblem(string origin, ServerProfile profile)
    {
        if (origin == "*") return profile == ServerProfile.Development ? null : "'*' is only allowed with the development profile; list the origins";
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https") && uri.AbsolutePath == "/" && !origin.EndsWith('/')
            ? null
            : $"\"{origin}\" is not an origin like https://editor.example.com";
    }
}
