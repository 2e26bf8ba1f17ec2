using System.Globalization;
using OpenTelemetry.Trace;

namespace Thaiyyal.Server.Telemetry;

/// <summary>
/// Which requests are traced, from OpenTelemetry's own variables: <c>OTEL_TRACES_SAMPLER</c> (<c>always_on</c>,
/// <c>always_off</c>, <c>traceidratio</c>, <c>parentbased_always_on</c> — the default —, <c>parentbased_always_off</c>,
/// <c>parentbased_traceidratio</c>) and <c>OTEL_TRACES_SAMPLER_ARG</c> (the ratio, 0–1, default 1). A request that
/// is not sampled gets no run or node spans (RunTelemetryObserver); its log records still carry the trace id.
/// </summary>
public static class TraceSampling
{
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string ArgumentVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The sampler the variables name, or an error naming the bad value.</summary>
    public static (Sampler? Sampler, string? Error) FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var name = environment.TryGetValue(SamplerVariable, out var value) && value.Length > 0 ? value.Trim() : "parentbased_always_on";
        var ratio = 1.0;
        if (environment.TryGetValue(ArgumentVariable, out var arg) && arg.Length > 0
            && (!double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1 || double.IsNaN(ratio)))
            return (null, $"invalid {ArgumentVariable} \"{arg}\": a ratio from 0 to 1");
        Sampler? sampler = name switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => null,
        };
        return sampler is null
            ? (null, $"invalid {SamplerVariable} \"{name}\": one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio")
            : (sampler, null);
    }
}
