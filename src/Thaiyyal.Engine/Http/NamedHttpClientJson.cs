using System.Globalization;
using System.Text.Json;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// Reads a named client's configuration from the register API's JSON (server-api.md §4.1, security.md §3.1).
/// Durations may be integers of nanoseconds (the original), duration strings (<c>"30s"</c>), or milliseconds
/// under a <c>*_ms</c> key. Throws <see cref="JsonException"/> for a wrong shape; rule checks are the registry's.
/// </summary>
public static class NamedHttpClientJson
{
    public static NamedHttpClientConfig Read(JsonElement config)
    {
        Expect(config, JsonValueKind.Object, "config");
        return new NamedHttpClientConfig
        {
            Uid = String(config, "uid") ?? "",
            Description = String(config, "description") ?? "",
            BaseUrl = String(config, "base_url") ?? "",
            Auth = Object(config, "auth") is { } auth ? ReadAuth(auth) : HttpClientAuth.None,
            Network = Object(config, "network") is { } network ? ReadNetwork(network) : new HttpClientNetwork(),
            Security = Object(config, "security") is { } security ? ReadSecurity(security) : new HttpClientSecurity(),
            Headers = Pairs(config, "headers"),
            QueryParams = Pairs(config, "query_params"),
            Retry = Object(config, "retry") is { } retry ? ReadRetry(retry) : new HttpClientRetry(),
        };
    }

    private static HttpClientAuth ReadAuth(JsonElement auth)
    {
        var basic = Object(auth, "basic_auth");
        var token = Object(auth, "token");
        var apiKey = Object(auth, "api_key");
        return new HttpClientAuth
        {
            Type = String(auth, "type") is { Length: > 0 } type ? type : HttpClientAuth.TypeNone,
            Username = basic is { } b ? String(b, "username") ?? "" : null,
            Password = basic is { } p ? new Secret(String(p, "password") ?? "") : null,
            Token = token is { } t ? new Secret(String(t, "token") ?? "") : null,
            ApiKeyName = apiKey is { } k ? String(k, "key") ?? "" : null,
            ApiKeyValue = apiKey is { } v ? new Secret(String(v, "value") ?? "") : null,
            ApiKeyLocation = apiKey is { } l ? String(l, "location") ?? "" : null,
        };
    }

    private static HttpClientNetwork ReadNetwork(JsonElement network) => new()
    {
        Timeout = Duration(network, "timeout") ?? TimeSpan.Zero,
        MaxIdleConns = Int(network, "max_idle_conns") ?? 0,
        MaxIdleConnsPerHost = Int(network, "max_idle_conns_per_host") ?? 0,
        MaxConnsPerHost = Int(network, "max_conns_per_host") ?? 0,
        IdleConnTimeout = Duration(network, "idle_conn_timeout") ?? TimeSpan.Zero,
        TlsHandshakeTimeout = Duration(network, "tls_handshake_timeout") ?? TimeSpan.Zero,
        DisableKeepAlives = Bool(network, "disable_keep_alives") ?? false,
    };

    private static HttpClientSecurity ReadSecurity(JsonElement security) => new()
    {
        MaxRedirects = Int(security, "max_redirects") ?? 0,
        MaxResponseSize = Long(security, "max_response_size") ?? 0,
        FollowRedirects = Bool(security, "follow_redirects") ?? true,
        AllowPrivateIps = Bool(security, "allow_private_ips") ?? false,
        AllowLocalhost = Bool(security, "allow_localhost") ?? false,
        AllowLinkLocal = Bool(security, "allow_link_local") ?? false,
        AllowCloudMetadata = Bool(security, "allow_cloud_metadata") ?? false,
        AllowedDomains = Strings(security, "allowed_domains"),
    };

    private static HttpClientRetry ReadRetry(JsonElement retry)
    {
        var defaults = new HttpClientRetry();
        return new HttpClientRetry
        {
            MaxRetries = Int(retry, "max_retries") ?? 0,
            Delay = Duration(retry, "delay") ?? defaults.Delay,
            MaxDelay = Duration(retry, "max_delay") ?? defaults.MaxDelay,
            RetryNonIdempotent = Bool(retry, "retry_non_idempotent") ?? false,
        };
    }

    private static JsonElement? Get(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement? Object(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return null;
        Expect(value, JsonValueKind.Object, name);
        return value;
    }

    private static string? String(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return null;
        Expect(value, JsonValueKind.String, name);
        return value.GetString();
    }

    private static bool? Bool(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "a boolean", value),
        };
    }

    private static long? Long(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw Wrong(name, "an integer", value);
    }

    private static int? Int(JsonElement parent, string name) =>
        Long(parent, name) is { } n ? (n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new JsonException($"{name}: {n} is out of range")) : null;

    // Nanosecond integers (the original), duration strings, or milliseconds under name_ms.
    private static TimeSpan? Duration(JsonElement parent, string name)
    {
        if (Get(parent, name + "_ms") is { } millis)
            return millis.ValueKind == JsonValueKind.Number && millis.TryGetInt64(out var ms) && ms is >= -86_400_000_000 and <= 86_400_000_000
                ? TimeSpan.FromMilliseconds(ms)
                : throw Wrong(name + "_ms", "a number of milliseconds", millis);
        if (Get(parent, name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var nanos)) return TimeSpan.FromTicks(nanos / 100);
        if (value.ValueKind == JsonValueKind.String && Compatibility.GoDuration.TryParseStrict(value.GetString(), out var parsed)) return parsed;
        throw Wrong(name, "a duration (nanoseconds or a string such as \"30s\")", value);
    }

    private static string[] Strings(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return [];
        Expect(value, JsonValueKind.Array, name);
        return value.EnumerateArray().Select((item, i) =>
        {
            Expect(item, JsonValueKind.String, $"{name}[{i}]");
            return item.GetString()!;
        }).ToArray();
    }

    private static KeyValuePair<string, string>[] Pairs(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value) return [];
        Expect(value, JsonValueKind.Array, name);
        return value.EnumerateArray().Select((item, i) =>
        {
            Expect(item, JsonValueKind.Object, $"{name}[{i}]");
            return new KeyValuePair<string, string>(String(item, "key") ?? "", String(item, "value") ?? "");
        }).ToArray();
    }

    private static void Expect(JsonElement value, JsonValueKind kind, string name)
    {
        if (value.ValueKind != kind) throw Wrong(name, kind switch { JsonValueKind.Object => "an object", JsonValueKind.Array => "an array", _ => "a string" }, value);
    }

    // Never echo the value itself: it may be a credential.
    private static JsonException Wrong(string name, string expected, JsonElement value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{name}: expected {expected}, got {value.ValueKind.ToString().ToLowerInvariant()}"));
}
