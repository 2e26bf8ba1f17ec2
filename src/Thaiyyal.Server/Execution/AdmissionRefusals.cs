using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Server.Endpoints;
using Thaiyyal.Server.Hosting;
using Thaiyyal.Server.Telemetry;

namespace Thaiyyal.Server.Execution;

/// <summary>The answers of a request that runs workflows but is not admitted: shared by the execute and test routes.</summary>
public static class AdmissionRefusals
{
    /// <summary>Draining: the load balancer is moving traffic away; answer at once so the client retries elsewhere.</summary>
    public static JsonHttpResult<ErrorBody> Draining(HttpContext http, ServerMetrics metrics)
    {
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers.Connection = "close";
        metrics.Rejected(http, RejectionReason.Draining, StatusCodes.Status503ServiceUnavailable);
        return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Server is shutting down", "retry on another replica");
    }

    /// <summary>429 for a run that got no slot: the client's share is used up, or every slot and queue place is taken.</summary>
    public static JsonHttpResult<ErrorBody> NotAdmitted(HttpContext http, AdmissionOutcome outcome, RunCoordinator runs, ServerMetrics metrics)
    {
        http.Response.Headers.RetryAfter = "1";
        var clientLimit = outcome == AdmissionOutcome.ClientLimit;
        metrics.Rejected(http, clientLimit ? RejectionReason.ClientRunLimit : RejectionReason.RunQueueFull, StatusCodes.Status429TooManyRequests);
        return clientLimit
            ? ApiResults.Error(StatusCodes.Status429TooManyRequests, "Too many concurrent runs for this client",
                $"this client already has {runs.PerClient} runs running or waiting; retry when one finishes")
            : ApiResults.Error(StatusCodes.Status429TooManyRequests, "Too many concurrent runs",
                $"all {runs.Capacity} run slots are busy and {runs.QueueLength} runs are already waiting; retry later");
    }
}
