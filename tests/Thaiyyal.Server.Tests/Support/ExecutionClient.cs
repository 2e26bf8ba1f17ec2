using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>One Server-Sent Event as received, or a comment line (<see cref="Comment"/> set).</summary>
public sealed record SseMessage(long? Id, string? Type, string? Data, string? Comment)
{
    public JsonNode? Json => Data is null ? null : JsonNode.Parse(Data);
}

/// <summary>Submits runs, waits for records and reads event streams of a test server.</summary>
public static class ExecutionClient
{
    /// <summary>Guards waits against a hang; a working server answers long before.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static async Task<string> SubmitAsync(RunningServer server, string payload, string path = "/api/v1/workflow/execute?mode=async")
    {
        using var response = await server.PostJsonAsync(path, payload);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["execution_id"]!.GetValue<string>();
    }

    /// <summary>Reads the execution until <paramref name="done"/> holds for it (404 counts as not yet).</summary>
    public static async Task<JsonNode> WaitForAsync(RunningServer server, string id, Func<JsonNode, bool> done)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var (status, body) = await server.GetJsonAsync($"/api/v1/executions/{id}");
            if (status == HttpStatusCode.OK && done(body!)) return body!;
            await Task.Delay(20, guard.Token);
        }
    }

    public static Task<JsonNode> WaitForStatusAsync(RunningServer server, string id, string status) =>
        WaitForAsync(server, id, e => e["status"]!.GetValue<string>() == status);

    public static Task<JsonNode> WaitForFinishAsync(RunningServer server, string id) =>
        WaitForAsync(server, id, e => e["status"]!.GetValue<string>() is not ("queued" or "running"));

    /// <summary>Opens the event stream (response headers read, body not yet).</summary>
    public static async Task<HttpResponseMessage> OpenEventsAsync(RunningServer server, string id, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } last) request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Parses an SSE body message by message; ends when the server closes the stream.</summary>
    public static async IAsyncEnumerable<SseMessage> ReadEventsAsync(HttpResponseMessage response, bool includeComments = false)
    {
        using var guard = new CancellationTokenSource(Guard);
        await using var stream = await response.Content.ReadAsStreamAsync(guard.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long? id = null;
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null) yield return new SseMessage(id, type, data, null);
                id = null;
                type = null;
                data = null;
            }
            else if (line.StartsWith(':'))
            {
                if (includeComments) yield return new SseMessage(null, null, null, line[1..].Trim());
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = data is null ? line[6..] : data + "\n" + line[6..];
        }
    }

    /// <summary>A run whose middle node waits <paramref name="wait"/>: number → delay → delay.</summary>
    public static string DelayInTheMiddle(string wait) => $$$"""
        {"nodes":[{"id":"n","type":"number","data":{"value":7}},
          {"id":"wait","type":"delay","data":{"duration":"{{{wait}}}"}},
          {"id":"after","type":"delay","data":{"duration":"1ms"}}],
         "edges":[{"source":"n","target":"wait"},{"source":"wait","target":"after"}]}
        """;

    /// <summary>A for_each over <paramref name="count"/> numbers whose body is a delay of <paramref name="step"/>.</summary>
    public static string LoopOver(int count, string step = "1ms") => $$$"""
        {"nodes":[{"id":"items_text","type":"text_input","data":{"text":"[{{{string.Join(",", Enumerable.Range(1, count))}}}]"}},
          {"id":"items","type":"parse","data":{"input_type":"JSON"}},
          {"id":"loop","type":"for_each","data":{}},
          {"id":"step","type":"delay","parentId":"loop","data":{"duration":"{{{step}}}"}}],
         "edges":[{"source":"items_text","target":"items"},{"source":"items","target":"loop"}]}
        """;
}
