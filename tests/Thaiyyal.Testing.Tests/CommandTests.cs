using System.Xml;
using System.Xml.Schema;
using Thaiyyal.Cli;
using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Testing.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<(int Code, string Output)> Test(string[]? paths = null, string? filter = null, string? junit = null, bool update = false)
    {
        var output = new StringWriter();
        var options = new TestCommandOptions(paths ?? [_files.Dir], filter, junit, update, AllowNetwork: false, Parallel: 2, ExecutionLimits.Default);
        var code = await TestCommand.RunAsync(options, output, interactive: false, networkHttp: null, CancellationToken.None);
        return (code, output.ToString());
    }

    private const string Passing = """{"workflow":"flow.json","cases":[{"name":"sums","expect":{"node.sum":15}},{"name":"branch","expect":{"skipped":["no"]}}]}""";
    private const string Failing = """{"workflow":"flow.json","cases":[{"name":"wrong sum","expect":{"node.sum":16}}]}""";

    [Fact]
    public async Task All_passing_exits_0_with_a_line_per_case_and_a_summary()
    {
        _files.Write("ok.thaiyyal-test.json", Passing);
        var (code, output) = await Test();
        Assert.Equal(0, code);
        Assert.Contains("PASS ok.thaiyyal-test.json › sums (", output, StringComparison.Ordinal);
        Assert.Contains("PASS ok.thaiyyal-test.json › branch (", output, StringComparison.Ordinal);
        Assert.Matches(@"\n2 passed, 0 failed \([0-9.]+s\)\n$", output);
    }

    [Fact]
    public async Task A_failing_case_exits_1_and_prints_its_diff()
    {
        _files.Write("ok.thaiyyal-test.json", Passing);
        _files.Write("bad.thaiyyal-test.yaml", "workflow: flow.json\ncases:\n  - name: wrong sum\n    expect:\n      node.sum: 16\n");
        var (code, output) = await Test();
        Assert.Equal(1, code);
        Assert.Contains("FAIL bad.thaiyyal-test.yaml › wrong sum (", output, StringComparison.Ordinal);
        Assert.Contains("    node.sum: value differs\n      at $\n        - expected: 16\n        + actual:   15\n      path: a → sum\n", output, StringComparison.Ordinal);
        Assert.Contains("2 passed, 1 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_file_exits_2_naming_file_case_and_field()
    {
        _files.Write("ok.thaiyyal-test.json", Passing);
        var bad = _files.Write("broken.thaiyyal-test.json", """{"workflow":"flow.json","cases":[{"name":"c","expect":{"final":1}}]}""");
        var (code, output) = await Test();
        Assert.Equal(2, code);
        Assert.Contains($"INVALID {bad}: cases[0] \"c\": expect.final: unknown expectation", output, StringComparison.Ordinal);
        Assert.Contains("2 passed, 0 failed, 1 invalid file", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_test_files_or_a_missing_path_exit_2()
    {
        Assert.Equal(2, (await Test()).Code);
        Assert.Equal(2, (await Test([Path.Combine(_files.Dir, "nope")])).Code);
    }

    [Fact]
    public async Task Filter_runs_only_matching_cases()
    {
        _files.Write("ok.thaiyyal-test.json", Passing);
        var (code, output) = await Test(filter: "BRANCH");
        Assert.Equal(0, code);
        Assert.DoesNotContain("sums", output, StringComparison.Ordinal);
        Assert.Contains("1 passed, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_rewrites_expectations_from_the_actual_results_and_the_file_then_passes()
    {
        var path = _files.Write("snap.thaiyyal-test.json", """
            {"workflow":"flow.json","cases":[
              {"name":"stale","expect":{"node.sum":16,"node.big.value":1,"skipped":["no"]},"assert":["node.sum > 0"]},
              {"name":"empty"},
              {"name":"fails","set":{"b":{"value":0},"sum":{"op":"divide"}},"expect":{"node.yes":1}}]}
            """);
        var yaml = _files.Write("snap.thaiyyal-test.yaml", "workflow: flow.json\ncases:\n  - name: y\n    expect:\n      node.sum: 0\n");
        var (code, output) = await Test(update: true);
        Assert.Equal(0, code);
        Assert.Contains($"updated {path} (3 cases)", output, StringComparison.Ordinal);
        var updated = TestFileReader.Parse(path, File.ReadAllText(path), TestFileFormat.Json);
        Assert.Equal(["node.sum=15", "node.big.value=15"], updated.Cases[0].Expect.Nodes.Select(n => $"{n.Key}={n.Expected}"));
        Assert.Equal(["no"], updated.Cases[0].Expect.Skipped);
        Assert.Equal("node.sum > 0", Assert.Single(updated.Cases[0].Assert).Text);
        Assert.Equal("30", updated.Cases[1].Expect.FinalOutput.ToString());
        Assert.Equal("error executing node sum: division by zero", updated.Cases[2].Expect.ErrorContains);
        Assert.Empty(updated.Cases[2].Expect.Nodes);
        Assert.Equal("workflow: flow.json\ncases:\n- name: y\n  expect:\n    node.sum: 15\n", File.ReadAllText(yaml));
        var (again, _) = await Test();
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task JUnit_output_is_valid_against_the_schema_and_counts_failures_and_errors()
    {
        _files.Write("ok.thaiyyal-test.json", Passing);
        _files.Write("bad.thaiyyal-test.json", Failing);
        _files.Write("broken.thaiyyal-test.json", """{"workflow":"missing.json","cases":[{"name":"c"}]}""");
        var junit = Path.Combine(_files.Dir, "report.xml");
        var (code, _) = await Test(junit: junit);
        Assert.Equal(2, code);

        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "junit.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        var doc = new XmlDocument();
        using (var reader = XmlReader.Create(junit, settings)) doc.Load(reader);
        Assert.Empty(errors);

        var root = doc.DocumentElement!;
        Assert.Equal("4", root.GetAttribute("tests"));
        Assert.Equal("1", root.GetAttribute("failures"));
        Assert.Equal("1", root.GetAttribute("errors"));
        var failure = (XmlElement)doc.SelectSingleNode("//testcase[@name='wrong sum']/failure")!;
        Assert.Equal("node.sum: value differs", failure.GetAttribute("message"));
        Assert.Contains("- expected: 16", failure.InnerText, StringComparison.Ordinal);
        Assert.Contains("cannot read missing.json", doc.SelectSingleNode("//testsuite[@name='broken.thaiyyal-test.json']/testcase/error")!.InnerText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_that_breaks_the_schema_is_caught_by_it()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "junit.xsd"));
        var doc = new XmlDocument();
        doc.LoadXml("<testsuites tests=\"x\" failures=\"0\" errors=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"c\"/></testsuite></testsuites>");
        doc.Schemas = schemas;
        var errors = new List<string>();
        doc.Validate((_, e) => errors.Add(e.Message));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public async Task The_examples_pass()
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "../../../../../examples");
        var (code, output) = await Test([examples]);
        Assert.True(code == 0, output);
        Assert.Contains("safe-division.thaiyyal-test.json › dividing by zero people fails at the share node", output, StringComparison.Ordinal);
    }
}
