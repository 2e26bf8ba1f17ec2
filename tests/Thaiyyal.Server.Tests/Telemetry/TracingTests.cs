using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Server.Telemetry;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Telemetry;

public sealed class TracingTests
{
    [Fact]
    public async Task Run_and_node_spans_nest_under_the_incoming_traceparent()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
        listener.ActivityStopped = a => { if (a.TraceId == traceId) spans.Enqueue(a); };

        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var (status, _) = await RawHttp.PostAsync(server.BaseAddress, "/api/v1/workflow/execute", Payloads.DivideByZero,
            ("traceparent", $"00-{traceId}-{callerSpan}-01"));
        Assert.Equal(422, status);

        // The request span stops after the response has been sent.
        for (var i = 0; i < 100 && !spans.Any(s => s.Source.Name == "Microsoft.AspNetCore"); i++) await Task.Delay(50);
        var httpSpan = spans.Single(s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(callerSpan, httpSpan.ParentSpanId);
        var run = spans.Single(s => s.OperationName == EngineTracing.RunSpan);
        Assert.Equal(httpSpan.SpanId, run.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal("failure", run.GetTagItem("workflow.status"));
        Assert.Matches("^[0-9a-f]{16}$", (string)run.GetTagItem("execution.id")!);
        var nodes = spans.Where(s => s.OperationName == EngineTracing.NodeSpan).ToList();
        Assert.Equal(["a", "b", "div"], nodes.Select(n => (string)n.GetTagItem("node.id")!).Order(StringComparer.Ordinal));
        Assert.All(nodes, n => Assert.Equal(run.SpanId, n.ParentSpanId));
        var failed = nodes.Single(n => (string)n.GetTagItem("node.id")! == "div");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("operation", failed.GetTagItem("node.type"));
        Assert.Contains("division by zero", failed.StatusDescription, StringComparison.Ordinal);
        Assert.All(nodes.Where(n => n != failed), n => Assert.Equal(ActivityStatusCode.Ok, n.Status));
    }

    [Fact]
    public async Task A_node_cut_off_by_the_run_s_deadline_gets_its_span_ended_with_the_reason()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
        listener.ActivityStopped = a => { if (a.TraceId == traceId) spans.Enqueue(a); };

        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-max-execution-time", "300ms");
        var (status, _) = await RawHttp.PostAsync(server.BaseAddress, "/api/v1/workflow/execute", Support.ExecutionClient.DelayInTheMiddle("5s"),
            ("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01"));
        Assert.NotEqual(200, status);

        for (var i = 0; i < 100 && !spans.Any(s => s.OperationName == EngineTracing.RunSpan); i++) await Task.Delay(50);
        var nodes = spans.Where(s => s.OperationName == EngineTracing.NodeSpan).ToList();
        Assert.Equal(["n", "wait"], nodes.Select(n => (string)n.GetTagItem("node.id")!).Order(StringComparer.Ordinal));
        var cut = nodes.Single(n => (string)n.GetTagItem("node.id")! == "wait");
        Assert.Equal(ActivityStatusCode.Error, cut.Status);
        Assert.StartsWith("node did not finish: ", cut.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Ok, nodes.Single(n => (string)n.GetTagItem("node.id")! == "n").Status);
    }

    [Fact]
    public async Task An_unsampled_run_starts_no_node_spans()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var started = new ConcurrentQueue<Activity>();
        // This listener only propagates context, so the server's sampler alone decides what is recorded.
        using var listener = Listen(ActivitySamplingResult.PropagationData);
        listener.ActivityStarted = a => { if (a.TraceId == traceId) started.Enqueue(a); };
        var environment = new Dictionary<string, string> { [TraceSampling.SamplerVariable] = "parentbased_traceidratio", [TraceSampling.ArgumentVariable] = "0" };

        await using var server = await RunningServer.StartAsync(RunningServer.Settings(environment, "-rate-limit", "0"), environment: environment);
        var (status, _) = await RawHttp.PostAsync(server.BaseAddress, "/api/v1/workflow/execute", Payloads.Addition,
            ("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-00"));
        Assert.Equal(200, status);
        Assert.Contains(started, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.DoesNotContain(started, a => a.OperationName == EngineTracing.NodeSpan);
        Assert.All(started, a => Assert.False(a.Recorded));
    }

    [Theory]
    [InlineData(null, null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("always_off", null, "AlwaysOffSampler")]
    [InlineData("parentbased_traceidratio", "0.25", "ParentBased{TraceIdRatioBasedSampler{0.250000}}")]
    [InlineData("traceidratio", "1", "TraceIdRatioBasedSampler{1.000000}")]
    public void The_sampler_follows_opentelemetrys_variables(string? sampler, string? argument, string description)
    {
        var environment = new Dictionary<string, string>();
        if (sampler is not null) environment[TraceSampling.SamplerVariable] = sampler;
        if (argument is not null) environment[TraceSampling.ArgumentVariable] = argument;
        var (result, error) = TraceSampling.FromEnvironment(environment);
        Assert.Null(error);
        Assert.Equal(description, result!.Description);
    }

    [Theory]
    [InlineData("sometimes", null, "invalid OTEL_TRACES_SAMPLER \"sometimes\"")]
    [InlineData("traceidratio", "1.5", "invalid OTEL_TRACES_SAMPLER_ARG \"1.5\"")]
    [InlineData("traceidratio", "half", "invalid OTEL_TRACES_SAMPLER_ARG \"half\"")]
    public void A_bad_sampler_variable_is_named(string sampler, string? argument, string error)
    {
        var environment = new Dictionary<string, string> { [TraceSampling.SamplerVariable] = sampler };
        if (argument is not null) environment[TraceSampling.ArgumentVariable] = argument;
        Assert.StartsWith(error, TraceSampling.FromEnvironment(environment).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spans_are_exported_over_otlp_when_an_endpoint_is_set()
    {
        using var receiver = new OtlpReceiver();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        await using (var server = await RunningServer.StartAsync(RunningServer.Settings(environment, "-rate-limit", "0"), environment: environment))
        {
            using var response = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        } // disposing flushes the exporters
        var traces = await receiver.WaitForAsync("/v1/traces", "workflow.execute", TimeSpan.FromSeconds(20));
        Assert.Contains("node.execute", traces, StringComparison.Ordinal);
        Assert.Contains("thaiyyal-workflow-engine", traces, StringComparison.Ordinal);
    }

    /// <summary>Accepts OTLP/HTTP posts on a loopback port and keeps their bodies (protobuf strings are readable as UTF-8).</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, string Body)> _posts = new();

        public OtlpReceiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Url { get; }

        public async Task<string> WaitForAsync(string path, string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var match = _posts.Where(p => p.Path == path).Select(p => p.Body).FirstOrDefault(b => b.Contains(text, StringComparison.Ordinal));
                if (match is not null) return string.Concat(_posts.Where(p => p.Path == path).Select(p => p.Body));
                await Task.Delay(100);
            }
            throw new TimeoutException($"no {path} post containing {text}; got {string.Join(", ", _posts.Select(p => p.Path))}");
        }

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _posts.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    /// <summary>A listener on the engine's and ASP.NET Core's spans with the given sampling, already registered.</summary>
    private static ActivityListener Listen(ActivitySamplingResult sampling)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is EngineTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
