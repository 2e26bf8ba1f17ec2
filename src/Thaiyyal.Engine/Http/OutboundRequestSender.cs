using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polly;
using Polly.Retry;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// Sends one logical request through a profile: builds the URL, follows redirects itself (re-checking every
/// hop, counting every hop and retry against the run's budget, dropping credentials when the origin
/// changes), retries transient failures, enforces the timeout and the response size limit, and turns every
/// failure into a node error with the original's texts.
/// </summary>
internal sealed class OutboundRequestSender(
    HttpCallProfile profile,
    OutboundRequest request,
    Action countCall,
    TimeProvider timeProvider,
    Action<SsrfBlock> reportBlocked)
{
    private const string UserAgent = "Thaiyyal/0.1";
    private int _hop;
    private int _attempt;

    /// <summary>Runs the request. The first attempt must already have been counted by the caller.</summary>
    public async Task<OutboundResponse> SendAsync(CancellationToken cancellationToken)
    {
        if (!OutboundUrls.TryResolve(request.Url, profile.BaseUrl, out var url, out var error))
            throw Blocked(new SsrfBlock(error.StartsWith("invalid", StringComparison.Ordinal) ? SsrfReasons.InvalidUrl : SsrfReasons.Scheme, error, ""));
        url = OutboundUrls.AppendQuery(OutboundUrls.AppendQuery(url, profile.QueryParams), request.Query);
        url = OutboundUrls.WithoutUserInfo(url, out var userInfo);

        var timeout = Smaller(request.Timeout, profile.Timeout);
        using var timeoutSource = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await FollowAsync(url, userInfo, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new NodeExecutionException($"HTTP request failed: timeout after {Compatibility.GoDuration.Format(timeout)}");
        }
        catch (Exception e) when (SsrfBlockedException.Find(e) is { } blocked)
        {
            throw Blocked(blocked.Block);
        }
        catch (HttpRequestException e)
        {
            throw new NodeExecutionException($"HTTP request failed: {Describe(e)}", e);
        }
    }

    private async Task<OutboundResponse> FollowAsync(Uri url, string? userInfo, CancellationToken cancellationToken)
    {
        var origin = url;
        var method = request.Method;
        var body = request.Body;
        var maxRedirects = Math.Min(request.MaxRedirects ?? profile.MaxRedirects, profile.MaxRedirects);
        var follow = profile.FollowRedirects && request.FollowRedirects;
        for (_hop = 0; ; _hop++)
        {
            var sameOrigin = OutboundUrls.SameOrigin(url, origin);
            var target = url;
            var hopMethod = method;
            var hopBody = body;
            using var response = await SendHopAsync(() => BuildMessage(target, hopMethod, hopBody, sameOrigin, userInfo), hopMethod, target, cancellationToken).ConfigureAwait(false);

            var location = response.Headers.Location;
            if (!follow || !IsFollowedRedirect(response.StatusCode) || location is null)
                return await ReadAsync(response, url, cancellationToken).ConfigureAwait(false);
            if (_hop >= maxRedirects) throw new NodeExecutionException($"HTTP request failed: too many redirects (max {maxRedirects})");
            if (!Uri.TryCreate(url, location, out var next))
                throw new NodeExecutionException("HTTP request failed: redirect location is not a valid URL");
            // User info in a Location header is never used: a server must not be able to choose credentials.
            url = OutboundUrls.WithoutUserInfo(new UriBuilder(next) { Fragment = "" }.Uri, out _);
            (method, body) = RedirectedMethod(response.StatusCode, method, body);
        }
    }

    private async Task<HttpResponseMessage> SendHopAsync(Func<HttpRequestMessage> build, string method, Uri url, CancellationToken cancellationToken)
    {
        var retry = profile.Retry;
        var retryable = retry.MaxRetries > 0 && (retry.RetryNonIdempotent || method is not ("POST" or "PATCH"));
        if (!retryable) return await AttemptAsync(build, method, url, cancellationToken).ConfigureAwait(false);
        var pipeline = BuildRetryPipeline(retry);
        return await pipeline.ExecuteAsync(async token => await AttemptAsync(build, method, url, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    // One request on the wire: counted, checked, sent, measured.
    private async Task<HttpResponseMessage> AttemptAsync(Func<HttpRequestMessage> build, string method, Uri url, CancellationToken cancellationToken)
    {
        if (_hop > 0 || _attempt > 0) countCall();
        _attempt++;
        if (profile.Transport.Policy.CheckUrl(url) is { } refused) throw new SsrfBlockedException(refused);
        using var message = build();
        var started = Stopwatch.GetTimestamp();
        var host = OutboundUrls.HostLabel(url);
        try
        {
            var response = await profile.Transport.Invoker.SendAsync(message, cancellationToken).ConfigureAwait(false);
            HttpMetrics.RecordCall(method, (int)response.StatusCode, host, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception e) when (e is not OperationCanceledException && SsrfBlockedException.Find(e) is null)
        {
            HttpMetrics.RecordCall(method, null, host, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private HttpRequestMessage BuildMessage(Uri url, string method, byte[]? body, bool sameOrigin, string? userInfo)
    {
        var credentials = sameOrigin && profile.MayCarryCredentials(url);
        var target = credentials && profile.Auth is { Type: HttpClientAuth.TypeApiKey, ApiKeyLocation: "query" } auth
            ? OutboundUrls.AppendQuery(url, [new(auth.ApiKeyName!, auth.ApiKeyValue!.Reveal())])
            : url;
        // HTTP/1.1 or lower only: HTTP/3 runs over QUIC connections that never pass the ConnectCallback guard.
        var message = new HttpRequestMessage(new HttpMethod(method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        SendOnce.Mark(message);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            if (request.BodyContentType is { } contentType) message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (credentials)
        {
            foreach (var (name, value) in profile.Headers) AddHeader(message, name, value);
            ApplyAuth(message, profile.Auth);
        }
        foreach (var (name, value) in request.Headers)
        {
            // After a redirect to another origin only harmless headers go on: any other may be a credential.
            if (!sameOrigin && !HttpHeaderRules.IsCrossOriginSafe(name)) continue;
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase) && message.Content is not null)
            {
                message.Content.Headers.Remove("Content-Type");
                message.Content.Headers.TryAddWithoutValidation("Content-Type", value);
                continue;
            }
            message.Headers.Remove(name);
            AddHeader(message, name, value);
        }
        if (sameOrigin && userInfo is not null && message.Headers.Authorization is null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        if (!message.Headers.Contains("User-Agent")) message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        return message;
    }

    private static void AddHeader(HttpRequestMessage message, string name, string value)
    {
        if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
    }

    private static void ApplyAuth(HttpRequestMessage message, HttpClientAuth auth)
    {
        switch (auth.Type)
        {
            case HttpClientAuth.TypeBasic:
                var pair = Encoding.UTF8.GetBytes($"{auth.Username}:{auth.Password!.Reveal()}");
                message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
                break;
            case HttpClientAuth.TypeBearer:
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auth.Token!.Reveal());
                break;
            case HttpClientAuth.TypeApiKey when auth.ApiKeyLocation == "header":
                message.Headers.Remove(auth.ApiKeyName!);
                message.Headers.TryAddWithoutValidation(auth.ApiKeyName!, auth.ApiKeyValue!.Reveal());
                break;
        }
    }

    private async Task<OutboundResponse> ReadAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (!request.ReadErrorBody && !response.IsSuccessStatusCode)
            return new OutboundResponse((int)response.StatusCode, response.ReasonPhrase ?? "", CollectHeaders(response), RawContentType(response), [], url);
        var limit = SmallerLimit(request.MaxResponseBytes, profile.MaxResponseBytes);
        if (limit > 0 && response.Content.Headers.ContentLength > limit) throw TooLarge(limit);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (limit > 0 && body.Length + read > limit) throw TooLarge(limit);
                    body.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            return new OutboundResponse((int)response.StatusCode, response.ReasonPhrase ?? "", CollectHeaders(response), RawContentType(response), body.ToArray(), url);
        }
    }

    private static NodeExecutionException TooLarge(long limit) => new($"response too large (exceeds {limit} bytes limit)");

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.NonValidated) headers.Add(new(name.ToLowerInvariant(), string.Join(", ", values)));
        foreach (var (name, values) in response.Content.Headers.NonValidated) headers.Add(new(name.ToLowerInvariant(), string.Join(", ", values)));
        return headers;
    }

    private static string? RawContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? string.Join(", ", values) : null;

    private NodeExecutionException Blocked(SsrfBlock block)
    {
        if (block.Reason != SsrfReasons.InvalidUrl)
        {
            HttpMetrics.RecordBlocked(block.Reason);
            reportBlocked(block);
        }
        return new NodeExecutionException(_hop == 0
            ? $"URL validation failed: {block.Message}"
            : $"HTTP request failed: redirect URL validation failed: {block.Message}");
    }

    private ResiliencePipeline<HttpResponseMessage> BuildRetryPipeline(HttpClientRetry retry) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, retry.MaxDelay)),
            })
            .Build();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e
            ? e is HttpRequestException && SsrfBlockedException.Find(e) is null
            : outcome.Result is { } r && (int)r.StatusCode is 408 or 429 or 500 or 502 or 503 or 504;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var delta = response?.Headers.RetryAfter?.Delta;
        return delta is { } d && d >= TimeSpan.Zero ? (d > max ? max : d) : null;
    }

    private static bool IsFollowedRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    // 303 always becomes GET; 301/302 turn POST into GET (what browsers and Go do); 307/308 repeat as is.
    private static (string Method, byte[]? Body) RedirectedMethod(HttpStatusCode status, string method, byte[]? body) => (int)status switch
    {
        303 when method != "HEAD" => ("GET", null),
        301 or 302 when method == "POST" => ("GET", null),
        _ => (method, body),
    };

    // Limits of 0 mean "none": a request may lower a limit, never lift it.
    private static long SmallerLimit(long? requested, long limit) =>
        requested is > 0 and var r && (limit <= 0 || r < limit) ? r : limit;

    private static TimeSpan Smaller(TimeSpan? requested, TimeSpan limit) =>
        requested is { } r && r > TimeSpan.Zero && (r < limit || limit <= TimeSpan.Zero) ? r : limit;

    private static string Describe(HttpRequestException e)
    {
        var inner = e.InnerException is { } i && !string.IsNullOrEmpty(i.Message) && !e.Message.Contains(i.Message, StringComparison.Ordinal)
            ? $" ({i.Message})"
            : "";
        return e.Message + inner;
    }
}
