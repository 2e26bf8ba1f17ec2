using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Thaiyyal.Server.Endpoints;

/// <summary>The common error body (server-api.md §1.4): <c>details</c> only when there is something to put in it.</summary>
public sealed record ErrorBody(
    bool Success,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Details = null);

/// <summary>Builders for JSON responses with the original's <c>Content-Type: application/json</c> (no charset).</summary>
public static class ApiResults
{
    public const string JsonContentType = "application/json";

    public static JsonHttpResult<T> Json<T>(T body, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, options: null, contentType: JsonContentType, statusCode: statusCode);

    public static JsonHttpResult<ErrorBody> Error(int statusCode, string error, string? details = null) =>
        Json(new ErrorBody(false, error, details), statusCode);

    /// <summary>Writes an error body outside endpoint handlers (middleware, rejections).</summary>
    public static Task WriteErrorAsync(HttpContext http, int statusCode, string error, string? details = null) =>
        Error(statusCode, error, details).ExecuteAsync(http);
}
