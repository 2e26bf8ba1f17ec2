using System.Net;
using System.Text;
using System.Text.Json;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Security;

/// <summary>
/// One server process with API keys, the issue's 10 s run deadline, a 4-run cap per client and a small store budget,
/// attacked by each reproduction of issue 10 in turn (the facts of a class run one at a time).
/// </summary>
public sealed class GuardedServerFixture : IAsyncLifetime
{
    public const string Attacker = "attacker-key";
    public const string Victim = "victim-key";

    /// <summary>Four 900 KB workflows fit, the fifth does not.</summary>
    public const int StoreBudgetBytes = 4 * 1024 * 1024;

    public HostileServer Server { get; private set; } = null!;

    // The execution history is on (HISTORY=all, the default): what it keeps of each run is bounded in bytes too.
    public async Task InitializeAsync() => Server = await HostileServer.StartAsync(
        "-api-keys", $"{Attacker},{Victim}", "-rate-limit", "0", "-read-rate-limit", "0",
        "-max-execution-time", "10s", "-max-runs-per-client", "4", "-max-store-bytes", StoreBudgetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Issue 10, "How it is checked": each reproduction of items 1–7 against the real server binary on loopback. Each
/// attack gets a named error within <see cref="HostileServer.AnswerDeadline"/> (the HTTP client's timeout), and after it
/// the server is ready, runs a normal workflow, and its peak RSS (VmHWM) has stayed under 1 GiB.
/// </summary>
public sealed class HostileBatteryTests(GuardedServerFixture fixture) : IClassFixture<GuardedServerFixture>
{
    private const string Attacker = GuardedServerFixture.Attacker;
    private const string Victim = GuardedServerFixture.Victim;
    private const string Execute = "/api/v1/workflow/execute";

    private HostileServer Server => fixture.Server;

    [Fact]
    public async Task Item1_catastrophic_schema_patterns_fail_named_and_leave_no_core_busy()
    {
        // "^(a+)+$" against 40 a's and a '!': hours of backtracking without a match timeout. Eight at once used to take
        // every run slot for good.
        var evil = JsonSerializer.Serialize("\"" + new string('a', 40) + "!\"");
        var payload = $$$$"""
            {"nodes":[{"id":"in","type":"text_input","data":{"text":{{{{evil}}}}}},{"id":"p","type":"parse","data":{"input_type":"JSON"}},
                      {"id":"v","type":"schema_validator","data":{"schema":{"type":"string","pattern":"^(a+)+$"}}}],
             "edges":[{"source":"in","target":"p"},{"source":"p","target":"v"}]}
            """;
        var attacks = Enumerable.Range(0, 8).Select(_ => Server.PostAsync(Execute, payload, Attacker)).ToList();
        var victim = await Server.PostAsync(Execute, Payloads.Addition, Victim);
        Assert.True(victim.Status == HttpStatusCode.OK, $"another client during the attack: {victim}");
        var answers = await Task.WhenAll(attacks);
        Assert.All(answers, a => Assert.True(
            a.Status == HttpStatusCode.UnprocessableEntity && a.Details!.StartsWith("error executing node v: schema validation failed: regex match timeout: pattern ^(a+)+$", StringComparison.Ordinal)
            || a.Status == HttpStatusCode.TooManyRequests && a.Error == "Too many concurrent runs for this client", a.ToString()));
        Assert.Contains(answers, a => a.Status == HttpStatusCode.UnprocessableEntity);

        // No match keeps running once the answers are out. Checked by CPU time: a runaway match uses a whole core for
        // hours, so some one-second window soon after the answers must be nearly idle (the first ones may still hold the
        // runtime's own after-work: tiered JIT, GC, the history writer).
        var windows = new List<double>();
        for (var i = 0; i < 10 && (windows.Count == 0 || windows[^1] >= 0.25); i++)
        {
            var before = Server.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(1));
            windows.Add(Server.CpuSeconds() - before);
        }
        Assert.True(windows[^1] < 0.25, $"CPU-seconds used per idle second after the attack: {string.Join(", ", windows.Select(w => w.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        await Server.AssertHealthyAsync(Victim);
    }

    [Theory]
    [InlineData(22)]
    [InlineData(24)]
    public async Task Item2_doubling_parallel_layers_stop_at_the_result_size_limit(int layers)
    {
        var answer = await Server.PostAsync(Execute, ParallelLayers(layers), Attacker);
        Assert.True(answer.Status == HttpStatusCode.TooManyRequests && answer.Body?["error_kind"]?.GetValue<string>() == "limit_exceeded", answer.ToString());
        Assert.Matches(@"^error executing node [ab]\d+: result size exceeded: node results passed \d+ bytes \(limit: 67108864\)$", answer.Details);
        await Server.AssertHealthyAsync(Victim);
    }

    [Fact]
    public async Task Item3_a_nine_megabyte_array_for_parse_and_a_huge_map_hit_the_array_limit()
    {
        var array = new StringBuilder("[1").Insert(2, ",1", 4_499_999).Append(']').ToString();
        var parse = $$$"""
            {"nodes":[{"id":"t","type":"text_input","data":{"text":"{{{array}}}"}},{"id":"p","type":"parse","data":{"input_type":"JSON"}}],
             "edges":[{"source":"t","target":"p"}]}
            """;
        Assert.True(parse.Length > 9_000_000);
        var parsed = await Server.PostAsync(Execute, parse, Attacker);
        Assert.True(parsed.Details == "error executing node p: array too large: more than 10000 elements (limit: 10000)", parsed.ToString());

        var map = """
            {"nodes":[{"id":"r","type":"range","data":{"start":0,"end":4000000}},{"id":"m","type":"map","data":{"expression":"item * 2"}}],
             "edges":[{"source":"r","target":"m"}]}
            """;
        var mapped = await Server.PostAsync(Execute, map, Attacker);
        Assert.True(mapped.Details == "error executing node r: range would generate more than 10000 items, adjust start/end/step", mapped.ToString());
        await Server.AssertHealthyAsync(Victim);
    }

    [Fact]
    public async Task A_schema_whose_reference_loops_in_place_fails_named_and_the_process_lives()
    {
        // JsonSchema.Net follows such a reference until the stack overflows, which ends the process whatever catches it.
        const string payload = """
            {"nodes":[{"id":"in","type":"text_input","data":{"text":"{\"a\":1}"}},{"id":"p","type":"parse","data":{"input_type":"JSON"}},
                      {"id":"v","type":"schema_validator","data":{"schema":{"allOf":[{"$ref":"#"}]}}}],
             "edges":[{"source":"in","target":"p"},{"source":"p","target":"v"}]}
            """;
        var answer = await Server.PostAsync(Execute, payload, Attacker);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("error executing node v: schema validation failed: reference cycle that never moves into the input: # -> #/allOf/0 -> #",
            answer.Details);
        await Server.AssertHealthyAsync(Victim);
    }

    [Fact]
    public async Task Item4_wrong_key_guesses_are_slowed_per_address_and_counted()
    {
        var before = await Server.MetricAsync("http_requests_rejected_total", "reason=\"auth_rate_limit\"") ?? 0;
        var started = DateTime.UtcNow;
        var answers = new List<Answer>();
        for (var i = 0; i < 200; i++) answers.Add(await Server.PostAsync("/api/v1/workflow/validate", Payloads.Addition, Guid.NewGuid().ToString()));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        // A burst of 10 failures, then one a second: the rest are 429 before any key is compared.
        var guesses = answers.Count(a => a.Status == HttpStatusCode.Unauthorized);
        Assert.True(guesses <= 10 + Math.Ceiling(seconds) + 1, $"{guesses} key guesses answered 401 in {seconds:0.0} s");
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Unauthorized), a =>
            Assert.True(a.Status == HttpStatusCode.TooManyRequests && a.Error == "Too many failed authentication attempts", a.ToString()));
        var slowed = await Server.MetricAsync("http_requests_rejected_total", "reason=\"auth_rate_limit\"");
        Assert.Equal(200 - guesses, slowed - before);
        // The valid keys from the same address are not slowed.
        await Server.AssertHealthyAsync(Victim);
    }

    [Fact]
    public async Task Item5_one_client_waiting_in_delays_cannot_starve_another()
    {
        var delay = """{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"4m"}}],"edges":[{"source":"v","target":"wait"}]}""";
        using var leave = new CancellationTokenSource();
        var held = Enumerable.Range(0, 8).Select(_ => Server.PostAsync(Execute, delay, Attacker, leave.Token)).ToList();
        // Four of them run (the per-client cap); the other four are refused at once with a named 429.
        for (var i = 0; i < 400 && held.Count(t => t.IsCompleted) < 4; i++) await Task.Delay(50);
        var refused = held.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
        Assert.Equal(4, refused.Count);
        Assert.All(refused, a => Assert.True(a.Status == HttpStatusCode.TooManyRequests && a.Error == "Too many concurrent runs for this client", a.ToString()));
        for (var i = 0; i < 200 && await Server.MetricAsync("workflow_runs_in_flight") != 4; i++) await Task.Delay(50);
        Assert.Equal(4, await Server.MetricAsync("workflow_runs_in_flight"));

        // Meanwhile another client is served and the replica stays ready.
        await Server.AssertHealthyAsync(Victim);

        // The attacker hangs up: its runs are abandoned and give their slots back.
        await leave.CancelAsync();
        foreach (var run in held.Where(t => !t.IsCompletedSuccessfully)) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        for (var i = 0; i < 200 && await Server.MetricAsync("workflow_runs_in_flight") != 0; i++) await Task.Delay(50);
        Assert.Equal(0, await Server.MetricAsync("workflow_runs_in_flight"));
    }

    [Fact]
    public async Task Item6_ten_megabyte_saves_and_a_full_store_are_refused_by_bytes()
    {
        var tenMegabytes = SaveBody("big", 10_000_000);
        Assert.True(tenMegabytes.Length < 10 * 1024 * 1024);
        for (var i = 0; i < 20; i++)
        {
            var answer = await Server.PostAsync("/api/v1/workflow/save", tenMegabytes, Attacker);
            Assert.True(answer.Status == HttpStatusCode.RequestEntityTooLarge, answer.ToString());
            Assert.Matches(@"^Failed to save workflow: workflow is 100000\d\d bytes, larger than the 1048576-byte limit for one workflow$", answer.Error);
        }

        // 900 KB versions fit one by one until the store's byte budget is spent: then 507, naming the budget.
        var statuses = new List<Answer>();
        for (var i = 0; i < 8; i++) statuses.Add(await Server.PostAsync("/api/v1/workflow/save", SaveBody($"w{i}", 900_000), Attacker));
        Assert.Equal(4, statuses.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(statuses.Skip(4), a => Assert.True(a.Status == HttpStatusCode.InsufficientStorage
            && a.Error!.StartsWith("Failed to save workflow: the store is full: ", StringComparison.Ordinal)
            && a.Error.Contains($"of {GuardedServerFixture.StoreBudgetBytes} bytes used", StringComparison.Ordinal), a.ToString()));
        await Server.AssertHealthyAsync(Victim);
    }

    [Theory]
    [InlineData("1e999", "1e999")]
    [InlineData("4000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "4000000000000000000000000000000000000000…")]
    public async Task Item7_numbers_out_of_range_are_a_400_naming_the_field(string number, string shown)
    {
        var answer = await Server.PostAsync(Execute, $$$"""{"nodes":[{"id":"n","type":"number","data":{"value":{{{number}}}}}],"edges":[]}""", Attacker);
        Assert.True(answer.Status == HttpStatusCode.BadRequest
                    && answer.Details == $"failed to parse payload: number {shown} is out of range in field data.value of node n", answer.ToString());
        await Server.AssertHealthyAsync(Victim);
    }

    /// <summary>Layers of two parallel nodes, each fed by both nodes of the layer before: results double per layer.</summary>
    private static string ParallelLayers(int layers)
    {
        var nodes = new List<string> { """{"id":"n","type":"number","data":{"value":1}}""" };
        var edges = new List<string>();
        for (var layer = 0; layer < layers; layer++)
        {
            foreach (var side in new[] { "a", "b" })
            {
                var id = $"{side}{layer}";
                nodes.Add($$$"""{"id":"{{{id}}}","type":"parallel","data":{}}""");
                var sources = layer == 0 ? ["n"] : new[] { $"a{layer - 1}", $"b{layer - 1}" };
                edges.AddRange(sources.Select(s => $$$"""{"source":"{{{s}}}","target":"{{{id}}}"}"""));
            }
        }
        return $$"""{"nodes":[{{string.Join(",", nodes)}}],"edges":[{{string.Join(",", edges)}}]}""";
    }

    /// <summary>A save request whose workflow holds a text of <paramref name="characters"/> characters.</summary>
    private static string SaveBody(string name, int characters) =>
        $$$"""{"name":"{{{name}}}","data":{"nodes":[{"id":"t","type":"text_input","data":{"text":"{{{new string('x', characters)}}}"}}],"edges":[]}}""";
}
