using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>The <c>Thaiyyal</c> meter's outbound HTTP instruments, observed with a <see cref="MeterListener"/>.</summary>
public sealed class HttpMetricsTests
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

    private static MeterListener Listen(ConcurrentQueue<Measurement> into)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Thaiyyal") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => into.Enqueue(new(i.Name, v, ToMap(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => into.Enqueue(new(i.Name, v, ToMap(tags))));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, string?> ToMap(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var (k, v) in tags) map[k] = v?.ToString();
        return map;
    }

    [Fact]
    public async Task Calls_are_counted_and_timed_by_method_status_and_host()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/", () => "ok"));
        using var http = new OutboundHttp(LoopbackAllowed);
        var seen = new ConcurrentQueue<Measurement>();
        using (Listen(seen))
        {
            await ResultAsync(http, Data(server.Url("/")));
        }

        // Other tests run in parallel on the same meter; this server's requests are the ones on 127.0.0.1 with status 200 now.
        var calls = seen.Where(m => m.Instrument == "http_calls_total" && m.Tags["http_host"] == "127.0.0.1").ToList();
        Assert.Contains(calls, m => m.Tags["http_method"] == "GET" && m.Tags["http_status_code"] == "200" && m.Value == 1);
        Assert.Contains(seen, m => m.Instrument == "http_call_duration" && m.Tags["http_host"] == "127.0.0.1" && m.Value >= 0);
    }

    [Fact]
    public async Task Refusals_are_counted_by_reason_and_reported_with_the_host_only()
    {
        var reported = new ConcurrentQueue<SsrfBlock>();
        using var http = new OutboundHttp(resolver: SsrfBypassTests.Resolver(), dialer: new RecordingDialer(), onBlocked: reported.Enqueue);
        var seen = new ConcurrentQueue<Measurement>();
        using (Listen(seen))
        {
            await ErrorAsync(http, Data("http://internal.test/secret?token=abc"));
        }

        Assert.Contains(seen, m => m.Instrument == "ssrf_blocked_total" && m.Tags["reason"] == SsrfReasons.Private && m.Value == 1);
        var block = Assert.Single(reported);
        Assert.Equal("internal.test", block.Host);
        Assert.DoesNotContain("token", block.Message, StringComparison.Ordinal);
    }
}
