using System.Text;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Nodes.InputOutput;

/// <summary>
/// <c>http</c>: one outbound HTTP request (nodes.md <c>http</c>, security.md §2). With only <c>url</c> it is the
/// original's GET whose output is the decoded body; the other fields add method, headers, query, body, limits
/// and, with <c>include_response_meta</c>, an output of <c>{status, status_text, headers, body, url}</c>.
/// Every request goes through the host's <see cref="OutboundHttp"/> policy; no field can loosen it.
/// </summary>
internal sealed class HttpNode : NodeExecutor<HttpNode.Options>
{
    /// <summary>The bound request.</summary>
    public sealed record Options(
        string Url,
        string? ClientUid,
        string Method,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        IReadOnlyList<KeyValuePair<string, string>> Query,
        Value Body,
        string? BodyType,
        bool UseInputAsBody,
        TimeSpan? Timeout,
        long? MaxResponseBytes,
        int? MaxRedirects,
        bool FollowRedirects,
        string ResponseType,
        bool IncludeResponseMeta,
        bool FailOnErrorStatus);

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("http", NodeCategories.InputOutput, "HTTP Request",
        "Calls a URL and outputs the response body (JSON is decoded). Private, loopback and metadata addresses are refused.",
        [
            new("url", FieldType.String, "URL", "http(s) URL; relative to the named client's base URL when one is chosen.", Required: true, Default: ""),
            new("http_client_uid", FieldType.String, "Named client", "A client registered by the operator (auth, base URL, retries)."),
            new("method", FieldType.String, "Method", "HTTP method.", Default: "GET", Options: Methods),
            new("headers", FieldType.Object, "Headers", "Request headers, name to value."),
            new("query", FieldType.Object, "Query", "Query parameters added to the URL, name to value (or list of values)."),
            new("body", FieldType.Any, "Body", "Request body: text is sent as is, anything else as JSON."),
            new("body_type", FieldType.String, "Body type", "How to encode the body (default: text for text, JSON otherwise).", Options: ["json", "text", "form"]),
            new("use_input_as_body", FieldType.Boolean, "Send input as body", "Send the node's input as the request body.", Default: false),
            new("timeout", FieldType.Any, "Timeout", "Give up after this long: a duration (\"5s\") or milliseconds; at most the host's limit."),
            new("max_response_bytes", FieldType.Integer, "Max response size", "Largest body to read, in bytes; at most the host's limit."),
            new("max_redirects", FieldType.Integer, "Max redirects", "Redirects to follow; at most the host's limit."),
            new("follow_redirects", FieldType.Boolean, "Follow redirects", "Follow 301/302/303/307/308 responses.", Default: true),
            new("response_type", FieldType.String, "Response type", "auto: JSON when the response says so; json; text.", Default: ResponseContent.Auto,
                Options: [ResponseContent.Auto, ResponseContent.Json, ResponseContent.Text]),
            new("include_response_meta", FieldType.Boolean, "Include status and headers", "Output {status, status_text, headers, body, url} instead of the body.", Default: false),
            new("fail_on_error_status", FieldType.Boolean, "Fail on error status", "Fail the node when the status is not 2xx.", Default: true),
        ])
    {
        MinInputs = 0,
        MaxInputs = 1,
        EditorDefaults = ValueObject.Of(("url", "https://example.com"), ("method", "GET")),
    } with { Inference = new(9, ["url"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var method = (data.String("method") ?? "GET").Trim().ToUpperInvariant();
        if (Array.IndexOf(Methods, method) < 0) throw new NodeDataException($"unsupported method: {method} (allowed: {string.Join(", ", Methods)})");
        var bodyType = data.String("body_type");
        if (bodyType is not (null or "json" or "text" or "form")) throw new NodeDataException($"invalid body_type: {bodyType} (must be json, text or form)");
        var responseType = data.String("response_type") ?? ResponseContent.Auto;
        if (responseType is not (ResponseContent.Auto or ResponseContent.Json or ResponseContent.Text))
            throw new NodeDataException($"invalid response_type: {responseType} (must be auto, json or text)");
        var maxBytes = data.Integer("max_response_bytes");
        if (maxBytes is <= 0) throw new NodeDataException("max_response_bytes must be positive");
        var maxRedirects = data.Integer("max_redirects");
        if (maxRedirects is < 0 or > int.MaxValue) throw new NodeDataException("max_redirects cannot be negative");
        return new Options(
            data.RequiredString("url"),
            data.String("http_client_uid"),
            method,
            Headers(data.Object("headers")),
            Query(data.Object("query")),
            data.Get("body"),
            bodyType,
            data.Bool("use_input_as_body") ?? false,
            Timeout(data.Get("timeout")),
            maxBytes,
            (int?)maxRedirects,
            data.Bool("follow_redirects") ?? true,
            responseType,
            data.Bool("include_response_meta") ?? false,
            data.Bool("fail_on_error_status") ?? true);
    }

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var (body, contentType) = EncodeBody(options.UseInputAsBody ? context.Input : options.Body, options.BodyType);
        var request = new OutboundRequest
        {
            Method = options.Method,
            Url = options.Url,
            Headers = options.Headers,
            Query = options.Query,
            Body = body,
            BodyContentType = contentType,
            Timeout = options.Timeout,
            MaxResponseBytes = options.MaxResponseBytes,
            MaxRedirects = options.MaxRedirects,
            FollowRedirects = options.FollowRedirects,
            ReadErrorBody = !options.FailOnErrorStatus,
        };
        var response = await context.Http.SendAsync(request, options.ClientUid, context).ConfigureAwait(false);
        if (options.FailOnErrorStatus && !response.IsSuccess) throw new NodeExecutionException($"HTTP request returned error status: {response.StatusCode}");
        var content = ResponseContent.ToValue(response, options.ResponseType, context.Limits);
        if (!options.IncludeResponseMeta) return content;
        var headers = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (name, value) in response.Headers) headers[name] = headers.TryGetValue(name, out var prior) ? $"{prior.AsString()}, {value}" : value;
        return ValueObject.Of(
            ("status", response.StatusCode),
            ("status_text", response.ReasonPhrase),
            ("headers", new ValueObject(headers)),
            ("body", content),
            ("url", response.Url.AbsoluteUri));
    }

    private static (byte[]? Body, string? ContentType) EncodeBody(Value body, string? bodyType)
    {
        if (body.IsNull) return (null, null);
        switch (bodyType ?? (body.IsString ? "text" : "json"))
        {
            case "text":
                return (Encoding.UTF8.GetBytes(body.TryGetString(out var text) ? text : ValueJson.Serialize(body)), "text/plain; charset=utf-8");
            case "form":
                if (!body.TryGetObject(out var fields)) throw new NodeExecutionException($"form body must be an object, got {body.GoTypeName}");
                var form = string.Join('&', fields.SortedKeys.Select(k =>
                    $"{Uri.EscapeDataString(k)}={Uri.EscapeDataString(fields[k].TryGetString(out var s) ? s : ValueJson.Serialize(fields[k]))}"));
                return (Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded");
            default:
                return (Encoding.UTF8.GetBytes(ValueJson.Serialize(body)), "application/json");
        }
    }

    private static List<KeyValuePair<string, string>> Headers(ValueObject? headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (headers is null) return list;
        foreach (var (name, value) in headers)
        {
            if (!HttpHeaderRules.IsValidName(name)) throw new NodeDataException($"invalid header name: {name}");
            if (HttpHeaderRules.IsReserved(name)) throw new NodeDataException($"header not allowed: {name}");
            var text = Scalar(value) ?? throw new NodeDataException($"header {name} must be a string, number or boolean");
            if (!HttpHeaderRules.IsValidValue(text)) throw new NodeDataException($"invalid value for header {name}");
            list.Add(new(name, text));
        }
        return list;
    }

    private static List<KeyValuePair<string, string>> Query(ValueObject? query)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (query is null) return list;
        foreach (var (name, value) in query)
        {
            if (value.IsNull) continue;
            IEnumerable<Value> values = value.TryGetArray(out var array) ? array : [value];
            foreach (var v in values) list.Add(new(name, Scalar(v) ?? throw new NodeDataException($"query parameter {name} must be a string, number or boolean")));
        }
        return list;
    }

    private static string? Scalar(Value value) =>
        value.TryGetString(out var s) ? s
        : value.IsNumber || value.IsBool ? Compatibility.GoValueText.ToGoString(value)
        : null;

    // A duration text ("5s") or a number of milliseconds (the examples use "timeout": 5000).
    private static TimeSpan? Timeout(Value value)
    {
        if (value.IsNull) return null;
        TimeSpan timeout;
        if (value.TryGetNumber(out var millis) && millis is > 0 and < 1e12) timeout = TimeSpan.FromMilliseconds(millis);
        else if (!value.TryGetString(out var text) || !Compatibility.GoDuration.TryParse(text, out timeout)) throw new NodeDataException($"invalid timeout: {Compatibility.GoValueText.ToGoString(value)} (use a duration like \"5s\" or milliseconds)");
        if (timeout <= TimeSpan.Zero) throw new NodeDataException("timeout must be positive");
        return timeout;
    }
}
