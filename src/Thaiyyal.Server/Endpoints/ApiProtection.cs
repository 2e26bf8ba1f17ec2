using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Thaiyyal.Engine.Workflows;
using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// What stands between a client and the engine (security.md §5–8): per-client rate limits (token buckets keyed
/// by API key, else remote address; 429 with <c>Retry-After</c>), optional API-key authentication on <c>/api</c>,
/// CORS for listed origins only, and response deadlines that never cut a run the execution limit allows.
/// </summary>
public static class ApiProtection
{
    public const string ExecutePolicy = "execute";
    public const string ReadPolicy = "read";
    public const string RunTimeoutPolicy = "run";
    public const string CorsPolicy = "api";

    public static IServiceCollection AddApiProtection(this IServiceCollection services, ServerSettings settings)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, token) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiResults.WriteErrorAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Rate limit exceeded");
            };
            options.AddPolicy(ExecutePolicy, http => Bucket(http, settings.RateLimit, settings.RateLimitBurst));
            options.AddPolicy(ReadPolicy, http => Bucket(http, settings.ReadRateLimit, (int)Math.Max(1, Math.Ceiling(settings.ReadRateLimit * 2))));
        });

        services.AddCors(options => options.AddPolicy(CorsPolicy, policy =>
        {
            if (settings.CorsOrigins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. settings.CorsOrigins]);
            policy.WithMethods("GET", "POST", "DELETE", "PUT")
                .WithHeaders("Content-Type", "Authorization", "X-API-Key")
                .WithExposedHeaders("Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));

        services.AddRequestTimeouts(options =>
        {
            if (settings.WriteTimeout > TimeSpan.Zero) options.DefaultPolicy = Deadline(settings.WriteTimeout);
            options.AddPolicy(RunTimeoutPolicy, settings.RunResponseTimeout > TimeSpan.Zero
                ? Deadline(settings.RunResponseTimeout)
                : new RequestTimeoutPolicy { Timeout = Timeout.InfiniteTimeSpan });
        });
        return services;
    }

    private static RequestTimeoutPolicy Deadline(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = http => ApiResults.WriteErrorAsync(http, StatusCodes.Status504GatewayTimeout, "Request timed out",
            $"no response within {GoDuration.Format(timeout)}"),
    };

    private static RateLimitPartition<string> Bucket(HttpContext http, double perSecond, int burst)
    {
        if (perSecond <= 0) return RateLimitPartition.GetNoLimiter("");
        // One token every 1/rate seconds; rates below 1/s refill more slowly.
        var period = TimeSpan.FromSeconds(1 / perSecond);
        if (period < TimeSpan.FromMilliseconds(1)) period = TimeSpan.FromMilliseconds(1);
        var tokensPerPeriod = (int)Math.Max(1, Math.Round(perSecond * period.TotalSeconds));
        return RateLimitPartition.GetTokenBucketLimiter(ClientKey(http), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The caller's identity for rate limiting: a digest of its API key, else its address.</summary>
    private static string ClientKey(HttpContext http) =>
        PresentedKey(http) is { Length: > 0 } key
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]
            : "ip:" + http.Connection.RemoteIpAddress;

    /// <summary>The key from <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>.</summary>
    public static string? PresentedKey(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var header = http.Request.Headers["X-API-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    /// <summary>
    /// Requires a configured API key on <c>/api</c> (and on <c>/metrics</c> when <c>-metrics-access api-key</c>).
    /// Keys are compared as SHA-256 digests in constant time. CORS preflights pass (they carry no credentials).
    /// </summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app, ServerSettings settings)
    {
        if (settings.ApiKeys.Count == 0) return app;
        var digests = settings.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
        return app.Use(async (http, next) =>
        {
            var path = http.Request.Path;
            var guarded = path.StartsWithSegments("/api") || (settings.MetricsAccess == MetricsAccess.ApiKey && path.StartsWithSegments("/metrics"));
            var preflight = HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method");
            if (!guarded || preflight || IsAccepted(PresentedKey(http), digests))
            {
                await next(http);
                return;
            }
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiResults.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized",
                "send a configured API key as Authorization: Bearer KEY or X-API-Key: KEY");
        });
    }

    private static bool IsAccepted(string? key, byte[][] digests)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var accepted = false;
        foreach (var candidate in digests) accepted |= CryptographicOperations.FixedTimeEquals(digest, candidate);
        return accepted;
    }
}
