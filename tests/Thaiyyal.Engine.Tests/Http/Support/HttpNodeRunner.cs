using System.Text.Json.Nodes;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Http.Support;

/// <summary>Runs workflows with one <c>http</c> node (id <c>call</c>) against a given <see cref="OutboundHttp"/>.</summary>
internal static class HttpNodeRunner
{
    /// <summary>The policy tests use for real requests: loopback 127.0.0.1 allowed explicitly, any port.</summary>
    public static OutboundHttpOptions LoopbackAllowed { get; } = new()
    {
        AllowedNetworks = [System.Net.IPNetwork.Parse("127.0.0.1/32")],
        AllowedPorts = [],
    };

    public static JsonObject Data(string url, params (string Key, JsonNode? Value)[] fields)
    {
        var data = new JsonObject { ["url"] = url };
        foreach (var (key, value) in fields) data[key] = value;
        return data;
    }

    public static Task<ExecutionResult> RunAsync(OutboundHttp http, JsonObject data, ExecutionLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var payload = new JsonObject
        {
            ["nodes"] = new JsonArray(new JsonObject { ["id"] = "call", ["type"] = "http", ["data"] = data }),
            ["edges"] = new JsonArray(),
        };
        return RunPayloadAsync(http, payload.ToJsonString(), limits, cancellationToken);
    }

    public static Task<ExecutionResult> RunPayloadAsync(OutboundHttp http, string payload, ExecutionLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var engine = new WorkflowEngine(new EngineOptions { Http = http, Limits = limits ?? ExecutionLimits.Default, MaxDegreeOfParallelism = 1 });
        return engine.ExecuteAsync(engine.Parse(payload), cancellationToken: cancellationToken);
    }

    public static async Task<Value> ResultAsync(OutboundHttp http, JsonObject data, ExecutionLimits? limits = null)
    {
        var result = await RunAsync(http, data, limits);
        Assert.True(result.Success, result.Error?.Message);
        return result.NodeResults["call"];
    }

    public static async Task<string> ErrorAsync(OutboundHttp http, JsonObject data, ExecutionLimits? limits = null)
    {
        var result = await RunAsync(http, data, limits);
        Assert.False(result.Success, "the run was expected to fail");
        return result.Error!.Message;
    }
}
