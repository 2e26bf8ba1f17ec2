using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// A result whose type tells the OpenAPI document which statuses and body it answers with, so a handler's return type
/// (<c>Results&lt;…&gt;</c> of these) is the route's documentation. The response is written by the wrapped result, unchanged.
/// </summary>
public abstract class DocumentedResult(IResult inner) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => inner.ExecuteAsync(httpContext);

    /// <summary>Adds one response per status with <paramref name="body"/> as its JSON schema.</summary>
    public static void Document(EndpointBuilder builder, Type body, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in statuses) builder.Metadata.Add(new ProducesResponseTypeMetadata(status, body, [ApiResults.JsonContentType]));
    }
}

/// <summary>200 with a JSON body, written like <see cref="ApiResults.Json{T}"/> (no charset) and documented as <typeparamref name="T"/>.</summary>
public sealed class JsonOk<T>(T body) : DocumentedResult(ApiResults.Json(body)), IEndpointMetadataProvider, IValueHttpResult<T>
{
    public T? Value => body;

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, typeof(T), StatusCodes.Status200OK);
}

/// <summary>408, 413 or 415: the request body could not be read as JSON (<see cref="RequestBody"/>).</summary>
public sealed class BodyRejected(JsonHttpResult<ErrorBody> error) : DocumentedResult(error), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, typeof(ErrorBody),
        StatusCodes.Status408RequestTimeout, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
}

/// <summary>
/// The answer to <c>?mode=async</c>: 202 with the execution id, or what <see cref="AsyncRunSubmitter"/> answered instead
/// (400 like the synchronous route, 429 queue full, 503 store unavailable; documented by the run's own statuses).
/// </summary>
public sealed class AsyncRunAnswer(IResult submitted) : DocumentedResult(submitted), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, typeof(AsyncRunAccepted), StatusCodes.Status202Accepted);
}

/// <summary>
/// A test request that ran no case to the end: 400 (an invalid test file or query), 404 (no stored workflow with that id),
/// 429 (no run slot), 503 (store unavailable or draining) or 504 (the response deadline passed), with the common error body.
/// </summary>
public sealed class TestRunRefused(JsonHttpResult<ErrorBody> error) : DocumentedResult(error), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, typeof(ErrorBody),
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests,
        StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout);
}
