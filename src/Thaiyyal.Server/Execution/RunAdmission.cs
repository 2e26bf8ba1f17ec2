using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Server.Endpoints;
using Thaiyyal.Server.Telemetry;

namespace Thaiyyal.Server.Execution;

/// <summary>
/// Admission of a request that runs workflows (the execute and test routes): refused at once while draining (503) or
/// when no run slot is free (429), else it holds a slot until it is done.
/// </summary>
public sealed class RunAdmission(RunCoordinator runs, ServerState state, ServerMetrics metrics)
{
    /// <summary>The held slot, or the answer to send instead.</summary>
    public async Task<(AdmittedRun? Run, JsonHttpResult<ErrorBody>? Refusal)> EnterAsync(HttpContext http)
    {
        if (state.Phase == ServerPhase.Draining) return (null, Draining(http));
        var (outcome, slot) = await runs.TryEnterAsync(ClientIdentity.Of(http), http.RequestAborted);
        if (outcome == AdmissionOutcome.Admitted) return (new AdmittedRun(slot!, CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, runs.ShutdownToken)), null);
        slot?.Dispose();
        return (null, NotAdmitted(http, outcome));
    }

    /// <summary>Draining: the load balancer is moving traffic away; answer at once so the client retries elsewhere.</summary>
    private JsonHttpResult<ErrorBody> Draining(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers.Connection = "close";
        metrics.Rejected(http, RejectionReason.Draining, StatusCodes.Status503ServiceUnavailable);
        return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Server is shutting down", "retry on another replica");
    }

    /// <summary>429 for a run that got no slot: the client's share is used up, or every slot and queue place is taken.</summary>
    private JsonHttpResult<ErrorBody> NotAdmitted(HttpContext http, AdmissionOutcome outcome)
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

/// <summary>A held run slot and the token that stops its work when the client goes away or the server shuts down.</summary>
public sealed class AdmittedRun(RunCoordinator.RunSlot slot, CancellationTokenSource cancellation) : IDisposable
{
    public CancellationToken Token => cancellation.Token;

    public void Dispose()
    {
        cancellation.Dispose();
        slot.Dispose();
    }
}
