using System.Net;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.TestSupport;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Storage;

/// <summary>
/// A NUL character (<c>\u0000</c> in JSON) where a name goes: PostgreSQL's text cannot store it, and the failed
/// statement was answered as a store outage (503). It is bad input: 400 naming the field, and the store stays healthy.
/// Inside workflow data and results it is stored as the JSON escape and comes back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NulTextTests(PostgresCluster cluster)
{
    [Theory]
    [InlineData("/api/v1/workflow/save", """{"name":"a\u0000b","data":{"nodes":[]}}""", "Failed to save workflow: workflow name must not contain a NUL character")]
    [InlineData("/api/v1/workflow/save", """{"name":"a","description":"d\u0000","data":{"nodes":[]}}""", "Failed to save workflow: workflow description must not contain a NUL character")]
    [InlineData("/api/v1/workflow/save", """{"name":"a","id":"x\u0000","data":{"nodes":[]}}""", "Failed to save workflow: workflow id must not contain a NUL character")]
    [InlineData("/api/v1/httpclient/register", """{"config":{"uid":"u\u0000","base_url":"https://api.example.com"}}""", "Failed to create HTTP client: invalid config: client UID must not contain a NUL character")]
    public async Task A_nul_in_a_name_is_refused_by_name_not_taken_for_a_store_outage(string route, string body, string error)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await Replicas.StartAsync(database, "nul");
        var (status, answer) = await server.PostJsonForBodyAsync(route, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, answer!["error"]!.GetValue<string>());
        Assert.Contains("\"store\":{\"status\":\"healthy\"", await server.Client.GetStringAsync("/health"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/executions?workflow_id=%00")]
    [InlineData("/api/v1/executions?cursor=%00")]
    [InlineData("/api/v1/executions?cursor=a%00b&status=running")]
    [InlineData("/api/v1/executions/%00")]
    [InlineData("/api/v1/workflow/load/a%00b")]
    [InlineData("/api/v1/workflows/a%00b/versions")]
    [InlineData("/api/v1/workflows/a%00b/versions/1")]
    public async Task A_nul_in_a_read_is_no_store_outage(string path)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await Replicas.StartAsync(database, "nul");
        using var response = await server.Client.GetAsync(path);
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_nul_inside_workflow_data_and_results_is_stored_and_read_back()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await Replicas.StartAsync(database, "nul");
        var id = await SubmitAsync(server, """{"nodes":[{"id":"n\u0000","type":"text_input","data":{"text":"x\u0000y"}}]}""");
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("x\u0000y", record["final_output"]!.GetValue<string>());
        Assert.Equal("n\u0000", record["nodes"]![0]!["node_id"]!.GetValue<string>());
    }
}
