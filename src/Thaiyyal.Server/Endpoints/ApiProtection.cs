using System.Globalization;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using Thaiyyal.Server.Telemetry;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// What stands between a client and the engine (security.md §5–8): per-client rate limits (token buckets keyed
/// by an accepted API key, else the client address, see <see cref="ClientIdentity"/>; 429 with <c>Retry-After</c>),
/// forwarded headers from trusted proxies only, optional API-key authentication on <c>/api</c> with failed attempts
/// rate-limited per address,
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
                context.HttpContext.RequestServices.GetRequiredService<ServerMetrics>()
                    .Rejected(context.HttpContext, RejectionReason.RateLimit, StatusCodes.Status429TooManyRequests);
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
            $"no response within {Engine.Compatibility.GoDuration.Format(timeout)}"),
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

    /// <summary>The caller's identity for rate limiting: an accepted API key, else its address.</summary>
    private static string ClientKey(HttpContext http) => ClientIdentity.Of(http);

    /// <summary>
    /// With <c>-trusted-proxies</c>, <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are applied for peers in those
    /// networks only (walking back through trusted hops); without it the headers are ignored. Runs first, so logs,
    /// rate limits and run caps see the real client.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app, ServerSettings settings)
    {
        if (settings.TrustedProxies.Count == 0) return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in settings.TrustedProxies) options.KnownIPNetworks.Add(network);
        return app.UseForwardedHeaders(options);
    }

    /// <summary>Failed authentications allowed per address before 429: a burst of 10, then one per second.</summary>
    private static PartitionedRateLimiter<string> FailedAuthenticationLimiter() =>
        PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 10,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

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
    /// Keys are compared as SHA-256 digests in constant time; an accepted key names the client
    /// (<see cref="ClientIdentity"/>). Failed attempts are counted (<c>http_requests_rejected_total{reason="unauthorized"}</c>)
    /// and limited per address: past the burst the answer is 429 with <c>Retry-After</c>. CORS preflights pass (they carry no credentials).
    /// </summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app, ServerSettings settings)
    {
        if (settings.ApiKeys.Count == 0) return app;
        var digests = settings.ApiKeys.Select(ClientIdentity.Digest).ToArray();
        var failures = FailedAuthenticationLimiter();
        return app.Use(async (http, next) =>
        {
            var path = http.Request.Path;
            var guarded = path.StartsWithSegments("/api") || (settings.MetricsAccess == MetricsAccess.ApiKey && path.StartsWithSegments("/metrics"));
            var preflight = HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method");
            if (Accepted(PresentedKey(http), digests) is { } digest)
            {
                ClientIdentity.Authenticated(http, digest);
                await next(http);
                return;
            }
            if (!guarded || preflight)
            {
                await next(http);
                return;
            }
            var metrics = http.RequestServices.GetRequiredService<ServerMetrics>();
            using var lease = failures.AttemptAcquire(ClientIdentity.Of(http));
            if (!lease.IsAcquired)
            {
                metrics.Rejected(http, RejectionReason.AuthRateLimit, StatusCodes.Status429TooManyRequests);
                http.Response.Headers.RetryAfter = "1";
                await ApiResults.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, "Too many failed authentication attempts");
                return;
            }
            metrics.Rejected(http, RejectionReason.Unauthorized, StatusCodes.Status401Unauthorized);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiResults.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized",
                "send a configured API key as Authorization: Bearer KEY or X-API-Key: KEY");
        });
    }

    /// <summary>The matching configured key's digest, or null; every candidate is compared (constant time).</summary>
    private static byte[]? Accepted(string? key, byte[][] digests)
    {
        if (string.IsNullOrEmpty(key)) return null;
        var digest = ClientIdentity.Digest(key);
        var accepted = false;
        foreach (var candidate in digests) accepted |= CryptographicOperations.FixedTimeEquals(digest, candidate);
        return accepted ? digest : null;
    }
}
