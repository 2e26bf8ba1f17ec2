using System.Buffers;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Thaiyyal.Server.Endpoints;

namespace Thaiyyal.Server.Execution;

/// <summary>
/// The execute API's body written straight to the response with <see cref="ExecutionResponseWriter"/>
/// (no intermediate document), for a finished run or a payload rejected before running. Its statuses and shape are
/// documented from this type (<see cref="ExecuteResponseDoc"/>); the answers of a run refused before it starts (no slot,
/// draining) carry the error body, whose fields are a subset of it.
/// </summary>
public sealed class RunResponse : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private readonly Action<Utf8JsonWriter>? _write;
    private readonly byte[]? _written;

    private RunResponse(int statusCode, Action<Utf8JsonWriter>? write, byte[]? written = null)
    {
        StatusCode = statusCode;
        _write = write;
        _written = written;
    }

    public int? StatusCode { get; }

    public static RunResponse Finished(int statusCode, ExecutionResult result, TimeSpan elapsed, Action<Utf8JsonWriter>? extraFields = null) =>
        new(statusCode, w => ExecutionResponseWriter.Write(w, result, elapsed, extraFields));

    /// <summary>A finished run's body that was already written (by <see cref="ExecutionResponseWriter"/>, as UTF-8 JSON).</summary>
    public static RunResponse Written(int statusCode, byte[] body) => new(statusCode, null, body);

    public static RunResponse Rejected(WorkflowException rejection) =>
        new(StatusCodes.Status400BadRequest, w => ExecutionResponseWriter.WriteRejected(w, rejection));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => DocumentedResult.Document(builder, typeof(ExecuteResponseDoc),
        StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests,
        StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        response.ContentType = "application/json";
        if (_written is not null)
        {
            response.ContentLength = _written.Length + 1;
            response.BodyWriter.Write(_written);
        }
        else
        {
            await using var writer = new Utf8JsonWriter(response.BodyWriter, ValueJson.WriterOptions);
            _write!(writer);
        }
        response.BodyWriter.Write("\n"u8);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
