using System.Diagnostics;
using System.Text.Json;
using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Cli.Tests;

public sealed class WorkflowCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("thaiyyal-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private static async Task<(int Code, JsonElement Body)> Run(string path, ExecutionLimits? limits = null)
    {
        var output = new StringWriter();
        var code = await WorkflowCommands.RunAsync(path, limits ?? ExecutionLimits.Default, 2, output, CancellationToken.None);
        return (code, JsonDocument.Parse(output.ToString()).RootElement.Clone());
    }

    [Fact]
    public async Task Run_prints_the_execute_body_and_exits_0()
    {
        var (code, body) = await Run(File("""{"workflow_id":"w","nodes":[{"id":"a","type":"number","data":{"value":10}},{"id":"b","type":"number","data":{"value":5}},{"id":"c","type":"operation","data":{"op":"add"}}],"edges":[{"source":"a","target":"c"},{"source":"b","target":"c"}]}"""));
        Assert.Equal(0, code);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(15, body.GetProperty("results").GetProperty("final_output").GetDouble());
        Assert.Equal("w", body.GetProperty("results").GetProperty("workflow_id").GetString());
        Assert.Matches("^[0-9.]+(ns|µs|ms|s)$", body.GetProperty("execution_time").GetString());
        Assert.Equal(["execution_time", "execution_time_ms", "results", "success"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["execution_id", "workflow_id", "node_results", "final_output"], body.GetProperty("results").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_the_failure_body()
    {
        var (code, body) = await Run(File("""{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":0}},{"id":"c","type":"operation","data":{"op":"divide"}}],"edges":[{"source":"a","target":"c"},{"source":"b","target":"c"}]}"""));
        Assert.Equal(1, code);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("Workflow execution failed", body.GetProperty("error").GetString());
        Assert.Equal("error executing node c: division by zero", body.GetProperty("details").GetString());
        Assert.Equal("c", body.GetProperty("node_id").GetString());
        Assert.Equal("node_failed", body.GetProperty("error_kind").GetString());
        Assert.Equal(1, body.GetProperty("results").GetProperty("node_results").GetProperty("a").GetDouble());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"nodes":[{"id":"a","type":"number","data":{}}]}""")]
    [InlineData("""{"nodes":[{"id":"a","type":"renderer","data":{}}],"edges":[{"source":"a","target":"a"}]}""")]
    public async Task An_invalid_payload_exits_2(string json)
    {
        var (code, body) = await Run(File(json));
        Assert.Equal(2, code);
        Assert.Equal("Failed to create engine", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_missing_file_exits_2_with_a_message()
    {
        var (code, body) = await Run(Path.Combine(_dir, "nope.json"));
        Assert.Equal(2, code);
        Assert.Contains("cannot read", body.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Limits_given_on_the_command_line_apply()
    {
        var (code, body) = await Run(File("""{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":2}}]}"""),
            ExecutionLimits.Default with { MaxNodeExecutions = 1 });
        Assert.Equal(1, code);
        Assert.Equal("error executing node b: maximum node executions exceeded: 2 (limit: 1)", body.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Validate_reports_valid_and_invalid_payloads()
    {
        var output = new StringWriter();
        Assert.Equal(0, await WorkflowCommands.ValidateAsync(File("""{"nodes":[{"id":"a","type":"number","data":{"value":1}}]}"""), ExecutionLimits.Default, output, CancellationToken.None));
        Assert.Equal("""{"valid":true}""", output.ToString().Trim());
        output = new StringWriter();
        Assert.Equal(2, await WorkflowCommands.ValidateAsync(File("""{"nodes":[{"id":"a","type":"rangeNode","data":{}}]}"""), ExecutionLimits.Default, output, CancellationToken.None));
        Assert.Equal("""{"error":"no executor registered for type: rangeNode (node a)","node_id":"a","valid":false}""", output.ToString().Trim());
    }

    [Fact]
    public async Task The_built_command_reads_stdin_and_rejects_a_bad_duration()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "thaiyyal.dll");
        var ok = await Exec(exe, ["run", "-"], """{"nodes":[{"id":"a","type":"text_input","data":{"text":"hi"}}]}""");
        Assert.Equal(0, ok.Code);
        Assert.Contains("\"final_output\":\"hi\"", ok.Stdout);
        var bad = await Exec(exe, ["run", "--max-execution-time", "soon", "-"], "{}");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("invalid duration 'soon'", bad.Stdout + bad.Stderr);
        var help = await Exec(exe, ["run", "--help"], "");
        Assert.Contains("--max-node-executions", help.Stdout);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Exec(string dll, string[] args, string stdin)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public void The_result_size_limit_has_an_option()
    {
        var limits = new LimitOptions();
        var root = new System.CommandLine.RootCommand();
        foreach (var option in limits.All) root.Options.Add(option);
        Assert.Equal(64L * 1024 * 1024, limits.Read(root.Parse([])).MaxResultBytes);
        Assert.Equal(1234, limits.Read(root.Parse(["--max-result-bytes", "1234"])).MaxResultBytes);
        Assert.NotEmpty(root.Parse(["--max-result-bytes", "-1"]).Errors);
    }

    [Fact]
    public async Task A_run_past_the_result_size_limit_names_it()
    {
        var (code, body) = await Run(File("""{"nodes":[{"id":"a","type":"text_input","data":{"text":"0123456789"}}]}"""),
            ExecutionLimits.Default with { MaxResultBytes = 5 });
        Assert.Equal(1, code);
        Assert.StartsWith("error executing node a: result size exceeded", body.GetProperty("details").GetString(), StringComparison.Ordinal);
    }
}
