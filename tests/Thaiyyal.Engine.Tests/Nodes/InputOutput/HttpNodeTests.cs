using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.InputOutput;

/// <summary>The <c>http</c> node against a real Kestrel server on 127.0.0.1 that each test allow-lists.</summary>
public sealed class HttpNodeTests : IAsyncLifetime, IDisposable
{
    private LoopbackServer _server = null!;
    private OutboundHttp _http = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/number", () => Results.Text("41", "application/json"));
            app.MapGet("/json", () => Results.Text("{\"name\":\"thaiyyal\",\"items\":[1,2.5,{\"ok\":true}],\"n\":null}", "application/json; charset=utf-8"));
            app.MapGet("/problem", () => Results.Text("{\"title\":\"x\"}", "application/problem+json"));
            app.MapGet("/text", () => Results.Text("hello world", "text/plain"));
            app.MapGet("/bad-json", () => Results.Text("{not json", "application/json"));
            app.MapGet("/json-then-junk", () => Results.Text("{\"a\":1} trailing", "application/json"));
            app.MapGet("/untyped", async (HttpContext c) => await c.Response.Body.WriteAsync("[1,2,3]"u8.ToArray()));
            app.MapGet("/untyped-bad", async (HttpContext c) => await c.Response.Body.WriteAsync("{oops"u8.ToArray()));
            app.Map("/echo", async (HttpContext c) =>
            {
                c.Response.Headers["X-Echo-Method"] = c.Request.Method;
                c.Response.ContentType = "application/json";
                var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
                var echo = new JsonObject
                {
                    ["method"] = c.Request.Method,
                    ["query"] = c.Request.QueryString.Value,
                    ["content_type"] = c.Request.ContentType,
                    ["body"] = body,
                    ["x_trace"] = c.Request.Headers["X-Trace"].ToString(),
                };
                if (c.Request.Method != "HEAD") await c.Response.WriteAsync(echo.ToJsonString());
            });
            app.MapGet("/status/{code:int}", (int code) => Results.Text($"status {code}", "text/plain", statusCode: code));
            app.MapGet("/redirect/{n:int}", (int n) => Results.Redirect(n <= 1 ? "/json" : $"/redirect/{n - 1}"));
            app.MapPost("/see-other", () => Results.Redirect("/echo"));
            app.MapPost("/temporary", (HttpContext c) => { c.Response.StatusCode = 307; c.Response.Headers.Location = "/echo"; });
            app.MapGet("/big/{size:int}", (int size) => Results.Text(new string('x', size), "text/plain"));
            app.MapGet("/big-chunked/{size:int}", async (HttpContext c, int size) =>
            {
                for (var i = 0; i < size / 100; i++) await c.Response.WriteAsync(new string('y', 100));
            });
            app.MapGet("/hang", async (HttpContext c) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, c.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Aborted.TrySetResult();
                }
            });
        });
        _http = new OutboundHttp(LoopbackAllowed);
    }

    private TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Only_a_url_gives_the_originals_output_the_decoded_body()
    {
        var result = await ResultAsync(_http, Data(_server.Url("/json")));

        Assert.Equal("""{"items":[1,2.5,{"ok":true}],"n":null,"name":"thaiyyal"}""", ValueJson.Serialize(result));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("Thaiyyal/0.1", request.Header("User-Agent"));
    }

    [Fact]
    public async Task User_info_in_the_url_becomes_basic_auth_for_that_origin_only()
    {
        var url = _server.Url("/echo").Replace("http://", "http://ann:p%40ss@", StringComparison.Ordinal);

        await ResultAsync(_http, Data(url));

        Assert.Equal("Basic YW5uOnBAc3M=", Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Json_numbers_are_numbers_for_the_rest_of_the_workflow()
    {
        var payload = $$$"""
            {"nodes":[
              {"id":"call","type":"http","data":{"url":"{{{_server.Url("/number")}}}"}},
              {"id":"one","type":"number","data":{"value":1}},
              {"id":"sum","type":"operation","data":{"op":"add"}}],
             "edges":[{"source":"call","target":"sum"},{"source":"one","target":"sum"}]}
            """;

        var result = await RunPayloadAsync(_http, payload);

        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal(42.0, result.NodeResults["sum"].AsNumber());
    }

    [Theory]
    [InlineData("/text", "\"hello world\"")]
    [InlineData("/problem", "{\"title\":\"x\"}")]
    [InlineData("/json-then-junk", "{\"a\":1}")]
    [InlineData("/untyped", "[1,2,3]")]
    [InlineData("/untyped-bad", "\"{oops\"")]
    public async Task The_body_is_decoded_by_its_content_type(string path, string expected)
    {
        Assert.Equal(expected, ValueJson.Serialize(await ResultAsync(_http, Data(_server.Url(path)))));
    }

    [Fact]
    public async Task Invalid_json_with_a_json_content_type_fails()
    {
        var error = await ErrorAsync(_http, Data(_server.Url("/bad-json")));

        Assert.StartsWith("error executing node call: failed to parse JSON response: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "/json", "string")]
    [InlineData("json", "/untyped-bad", "error")]
    public async Task Response_type_overrides_detection(string responseType, string path, string outcome)
    {
        var result = await RunAsync(_http, Data(_server.Url(path), ("response_type", responseType)));

        if (outcome == "error") Assert.Contains("failed to parse JSON response", result.Error!.Message, StringComparison.Ordinal);
        else Assert.True(result.NodeResults["call"].IsString);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("get")]
    public async Task Each_method_is_sent_as_given(string method)
    {
        var result = await ResultAsync(_http, Data(_server.Url("/echo"), ("method", method)));

        Assert.Equal(method.ToUpperInvariant(), result.AsObject()["method"].AsString());
    }

    [Fact]
    public async Task Head_returns_an_empty_body()
    {
        var result = await ResultAsync(_http, Data(_server.Url("/echo"), ("method", "HEAD"), ("include_response_meta", true)));

        Assert.Equal("HEAD", result.AsObject()["headers"].AsObject()["x-echo-method"].AsString());
        Assert.Equal("", result.AsObject()["body"].AsString());
    }

    [Fact]
    public async Task Json_bodies_headers_and_query_parameters_are_sent()
    {
        var data = Data(_server.Url("/echo?keep=1"),
            ("method", "POST"),
            ("body", new JsonObject { ["b"] = 2, ["a"] = new JsonArray(1, "x") }),
            ("headers", new JsonObject { ["X-Trace"] = "abc" }),
            ("query", new JsonObject { ["q"] = "a b&c", ["n"] = 3, ["multi"] = new JsonArray("1", "2") }));

        var echo = (await ResultAsync(_http, data)).AsObject();

        Assert.Equal("application/json", echo["content_type"].AsString());
        Assert.Equal("""{"a":[1,"x"],"b":2}""", echo["body"].AsString());
        Assert.Equal("abc", echo["x_trace"].AsString());
        Assert.Equal("?keep=1&q=a%20b%26c&n=3&multi=1&multi=2", echo["query"].AsString());
    }

    [Theory]
    [InlineData("\"plain text\"", null, "text/plain; charset=utf-8", "plain text")]
    [InlineData("{\"k\":\"v w\",\"n\":1}", "form", "application/x-www-form-urlencoded", "k=v%20w&n=1")]
    [InlineData("[1,2]", "text", "text/plain; charset=utf-8", "[1,2]")]
    public async Task Text_and_form_bodies_are_encoded(string bodyJson, string? bodyType, string contentType, string sent)
    {
        var data = Data(_server.Url("/echo"), ("method", "POST"), ("body", JsonNode.Parse(bodyJson)));
        if (bodyType is not null) data["body_type"] = bodyType;

        var echo = (await ResultAsync(_http, data)).AsObject();

        Assert.Equal(contentType, echo["content_type"].AsString());
        Assert.Equal(sent, echo["body"].AsString());
    }

    [Fact]
    public async Task A_content_type_header_replaces_the_default()
    {
        var data = Data(_server.Url("/echo"), ("method", "POST"), ("body", "<a/>"), ("headers", new JsonObject { ["Content-Type"] = "application/xml" }));

        Assert.Equal("application/xml", (await ResultAsync(_http, data)).AsObject()["content_type"].AsString());
    }

    [Fact]
    public async Task The_input_can_be_sent_as_the_body()
    {
        var payload = $$$"""
            {"nodes":[
              {"id":"msg","type":"text_input","data":{"text":"from input"}},
              {"id":"call","type":"http","data":{"url":"{{{_server.Url("/echo")}}}","method":"POST","use_input_as_body":true}}],
             "edges":[{"source":"msg","target":"call"}]}
            """;

        var result = await RunPayloadAsync(_http, payload);

        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal("from input", result.NodeResults["call"].AsObject()["body"].AsString());
    }

    [Fact]
    public async Task Response_meta_gives_status_headers_body_and_final_url()
    {
        var result = (await ResultAsync(_http, Data(_server.Url("/redirect/1"), ("include_response_meta", true)))).AsObject();

        Assert.Equal(200.0, result["status"].AsNumber());
        Assert.Equal("OK", result["status_text"].AsString());
        Assert.StartsWith("application/json", result["headers"].AsObject()["content-type"].AsString(), StringComparison.Ordinal);
        Assert.Equal("thaiyyal", result["body"].AsObject()["name"].AsString());
        Assert.Equal(_server.Url("/json"), result["url"].AsString());
    }

    [Fact]
    public async Task An_error_status_fails_the_node_unless_asked_not_to()
    {
        Assert.Equal("error executing node call: HTTP request returned error status: 404", await ErrorAsync(_http, Data(_server.Url("/status/404"))));

        var kept = (await ResultAsync(_http, Data(_server.Url("/status/503"), ("fail_on_error_status", false), ("include_response_meta", true)))).AsObject();
        Assert.Equal(503.0, kept["status"].AsNumber());
        Assert.Equal("status 503", kept["body"].AsString());
    }

    [Fact]
    public async Task Redirects_are_followed_up_to_the_limit()
    {
        Assert.Equal("thaiyyal", (await ResultAsync(_http, Data(_server.Url("/redirect/3")))).AsObject()["name"].AsString());

        var error = await ErrorAsync(_http, Data(_server.Url("/redirect/3"), ("max_redirects", 2)));
        Assert.Equal("error executing node call: HTTP request failed: too many redirects (max 2)", error);

        using var noRedirects = new OutboundHttp(LoopbackAllowed with { MaxRedirects = 0 });
        Assert.Contains("too many redirects (max 0)", await ErrorAsync(noRedirects, Data(_server.Url("/redirect/1"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_cannot_raise_the_hosts_redirect_limit()
    {
        using var strict = new OutboundHttp(LoopbackAllowed with { MaxRedirects = 1 });

        Assert.Contains("too many redirects (max 1)", await ErrorAsync(strict, Data(_server.Url("/redirect/3"), ("max_redirects", 50))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_can_be_returned_instead_of_followed()
    {
        var result = (await ResultAsync(_http, Data(_server.Url("/redirect/1"), ("follow_redirects", false), ("fail_on_error_status", false), ("include_response_meta", true)))).AsObject();

        Assert.Equal(302.0, result["status"].AsNumber());
        Assert.Equal("/json", result["headers"].AsObject()["location"].AsString());
    }

    [Fact]
    public async Task See_other_turns_a_post_into_a_get_and_temporary_redirect_repeats_it()
    {
        var seeOther = (await ResultAsync(_http, Data(_server.Url("/see-other"), ("method", "POST"), ("body", "payload")))).AsObject();
        Assert.Equal("GET", seeOther["method"].AsString());
        Assert.Equal("", seeOther["body"].AsString());

        var temporary = (await ResultAsync(_http, Data(_server.Url("/temporary"), ("method", "POST"), ("body", "payload")))).AsObject();
        Assert.Equal("POST", temporary["method"].AsString());
        Assert.Equal("payload", temporary["body"].AsString());
    }

    [Theory]
    [InlineData("/big/2000")]
    [InlineData("/big-chunked/2000")]
    public async Task A_body_over_the_size_limit_fails(string path)
    {
        var error = await ErrorAsync(_http, Data(_server.Url(path), ("max_response_bytes", 1000)));

        Assert.Equal("error executing node call: response too large (exceeds 1000 bytes limit)", error);
        Assert.Equal(1000, (await ResultAsync(_http, Data(_server.Url("/big/1000"), ("max_response_bytes", 1000)))).AsString().Length);
    }

    [Fact]
    public async Task A_node_cannot_raise_the_hosts_size_limit()
    {
        using var small = new OutboundHttp(LoopbackAllowed with { MaxResponseBytes = 500 });

        Assert.Contains("response too large (exceeds 500 bytes limit)", await ErrorAsync(small, Data(_server.Url("/big/501"), ("max_response_bytes", 1_000_000))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"50ms\"", "50ms")]
    [InlineData("40", "40ms")]
    public async Task A_request_that_outlives_its_timeout_fails(string timeoutJson, string shown)
    {
        var error = await ErrorAsync(_http, Data(_server.Url("/hang"), ("timeout", JsonNode.Parse(timeoutJson))));

        Assert.Equal($"error executing node call: HTTP request failed: timeout after {shown}", error);
    }

    [Fact]
    public async Task The_hosts_timeout_caps_the_nodes()
    {
        using var quick = new OutboundHttp(LoopbackAllowed with { Timeout = TimeSpan.FromMilliseconds(30) });

        Assert.Contains("timeout after 30ms", await ErrorAsync(quick, Data(_server.Url("/hang"), ("timeout", "10m"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_run_cancels_the_request()
    {
        using var cancel = new CancellationTokenSource();
        var run = RunAsync(_http, Data(_server.Url("/hang")), cancellationToken: cancel.Token);
        while (_server.Requests.IsEmpty) await Task.Delay(5);

        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
        await Aborted.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Calls_over_the_run_budget_fail()
    {
        var url = _server.Url("/json");
        var three = $$$"""
            {"nodes":[
              {"id":"a","type":"http","data":{"url":"{{{url}}}"}},
              {"id":"b","type":"http","data":{"url":"{{{url}}}"}},
              {"id":"c","type":"http","data":{"url":"{{{url}}}"}}],
             "edges":[{"source":"a","target":"b"},{"source":"b","target":"c"}]}
            """;
        var over = await RunPayloadAsync(_http, three, ExecutionLimits.Default with { MaxHttpCalls = 2 });
        Assert.Equal(ExecutionErrorKind.LimitExceeded, over.Error!.Kind);
        Assert.Equal("error executing node c: maximum HTTP calls per execution exceeded: 3 (limit: 2)", over.Error.Message);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Redirect_hops_count_against_the_budget()
    {
        var error = await ErrorAsync(_http, Data(_server.Url("/redirect/2")), ExecutionLimits.Default with { MaxHttpCalls = 2 });

        Assert.Contains("maximum HTTP calls per execution exceeded: 3 (limit: 2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_global_switch_turns_the_node_off()
    {
        using var off = new OutboundHttp(LoopbackAllowed with { Enabled = false });

        Assert.Equal("error executing node call: HTTP requests are not allowed (AllowHTTP=false). Enable AllowHTTP in config to make HTTP requests",
            await ErrorAsync(off, Data(_server.Url("/json"))));
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("method", "\"TRACE\"", "unsupported method: TRACE")]
    [InlineData("headers", "{\"Host\":\"evil\"}", "header not allowed: Host")]
    [InlineData("headers", "{\"X-A\":\"a\\r\\nX-B: b\"}", "invalid value for header X-A")]
    [InlineData("headers", "{\"X-A\":{}}", "header X-A must be a string, number or boolean")]
    [InlineData("timeout", "\"soon\"", "invalid timeout: soon")]
    [InlineData("timeout", "-5", "invalid timeout: -5")]
    [InlineData("max_response_bytes", "0", "max_response_bytes must be positive")]
    [InlineData("response_type", "\"xml\"", "invalid response_type: xml")]
    [InlineData("url", "5", "json: cannot unmarshal number into Go struct field HttpData.url of type string")]
    public void Bad_data_is_rejected_when_the_workflow_is_parsed(string field, string json, string message)
    {
        var data = Data(_server.Url("/json"));
        data[field] = JsonNode.Parse(json);
        var payload = new JsonObject { ["nodes"] = new JsonArray(new JsonObject { ["id"] = "call", ["type"] = "http", ["data"] = data }), ["edges"] = new JsonArray() };

        var ex = Assert.Throws<WorkflowException>(() => new WorkflowEngine().Parse(payload.ToJsonString()));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_url_is_rejected()
    {
        var ex = Assert.Throws<WorkflowException>(() => new WorkflowEngine().Parse("""{"nodes":[{"id":"call","type":"http","data":{"method":"GET"}}],"edges":[]}"""));

        Assert.Contains("missing required field: url", ex.Message, StringComparison.Ordinal);
    }
}
