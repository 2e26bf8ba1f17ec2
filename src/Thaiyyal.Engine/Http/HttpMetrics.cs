namespace Thaiyyal.Engine.Http;

/// <summary>
/// Outbound HTTP measurements, recorded on the engine's instruments (<see cref="EngineMetrics.HttpCalls"/>,
/// <see cref="EngineMetrics.HttpCallDuration"/>, <see cref="EngineMetrics.SsrfBlocked"/> on the <c>Thaiyyal</c>
/// meter), so one meter holds every family the operations guide queries.
/// </summary>
internal static class HttpMetrics
{
    public static void RecordCall(string method, int? statusCode, string host, TimeSpan elapsed) =>
        EngineMetrics.RecordHttpCall(method, statusCode, host, elapsed);

    public static void RecordBlocked(string reason) => EngineMetrics.RecordSsrfBlocked(reason);
}
