using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Storage;

/// <summary>A real server process killed with SIGKILL mid-run, then started again on the same SQLite store.</summary>
public sealed class KillRecoveryTests
{
    [Fact]
    public async Task A_server_killed_mid_run_marks_the_run_interrupted_and_keeps_every_earlier_record()
    {
        var dataDir = RunningServer.TemporaryDataDirectory();
        try
        {
            string workflowId, finishedId, runningId;
            await using (var first = ServerProcess.Start(["-addr", "127.0.0.1:0", "-data-dir", dataDir, "-rate-limit", "0"]))
            {
                using var http = new HttpClient { BaseAddress = await first.WaitUntilListeningAsync() };
                var saved = await PostAsync(http, "/api/v1/workflow/save", $$"""{"name":"kept","data":{{Payloads.Addition}}}""", HttpStatusCode.Created);
                workflowId = saved["id"]!.GetValue<string>();
                finishedId = (await PostAsync(http, "/api/v1/workflow/execute?mode=async", Payloads.Addition, HttpStatusCode.Accepted))["execution_id"]!.GetValue<string>();
                await WaitForStatusAsync(http, finishedId, s => s == "succeeded");
                runningId = (await PostAsync(http, "/api/v1/workflow/execute?mode=async", ExecutionClient.DelayInTheMiddle("1h"), HttpStatusCode.Accepted))["execution_id"]!.GetValue<string>();
                await WaitForStatusAsync(http, runningId, s => s == "running");

                first.Signal("KILL");
                Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            await using var second = ServerProcess.Start(["-addr", "127.0.0.1:0", "-data-dir", dataDir, "-rate-limit", "0"]);
            using var again = new HttpClient { BaseAddress = await second.WaitUntilListeningAsync() };
            var interrupted = await GetAsync(again, $"/api/v1/executions/{runningId}");
            Assert.Equal("interrupted", interrupted["status"]!.GetValue<string>());
            var finished = await GetAsync(again, $"/api/v1/executions/{finishedId}");
            Assert.Equal("succeeded", finished["status"]!.GetValue<string>());
            Assert.NotEmpty(finished["nodes"]!.AsArray());
            var loaded = await GetAsync(again, $"/api/v1/workflow/load/{workflowId}");
            Assert.Equal("kept", loaded["workflow"]!["name"]!.GetValue<string>());
            // The store is usable after the crash: a new run is recorded next to the old ones.
            var next = (await PostAsync(again, "/api/v1/workflow/execute?mode=async", Payloads.Addition, HttpStatusCode.Accepted))["execution_id"]!.GetValue<string>();
            await WaitForStatusAsync(again, next, s => s == "succeeded");
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, string json, HttpStatusCode expected)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task WaitForStatusAsync(HttpClient http, string id, Func<string, bool> done)
    {
        using var guard = new CancellationTokenSource(ExecutionClient.Guard);
        while (true)
        {
            using var response = await http.GetAsync($"/api/v1/executions/{id}", guard.Token);
            if (response.StatusCode == HttpStatusCode.OK
                && done(JsonNode.Parse(await response.Content.ReadAsStringAsync(guard.Token))!["status"]!.GetValue<string>())) return;
            await Task.Delay(50, guard.Token);
        }
    }
}
