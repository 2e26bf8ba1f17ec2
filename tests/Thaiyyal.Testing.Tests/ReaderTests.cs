namespace Thaiyyal.Testing.Tests;

public sealed class ReaderTests
{
    private static TestFileException Invalid(string json) =>
        Assert.Throws<TestFileException>(() => TestFileReader.Parse("x.thaiyyal-test.json", json, TestFileFormat.Json));

    [Theory]
    [InlineData("""{"cases":[{"name":"a"}]}""", null, "workflow")]
    [InlineData("""{"workflow":"w.json","cases":[]}""", null, "cases")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a"}],"extra":1}""", null, "extra")]
    [InlineData("""{"workflow":"w.json","cases":[{"nam":"a"}]}""", "cases[0]", "nam")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":""}]}""", "cases[0]", "name")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a"},{"name":"a"}]}""", "cases[1]", "name")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","expect":{"nodes.x":1}}]}""", "cases[0] \"a\"", "expect.nodes.x")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","expect":{"skipped":"x"}}]}""", "cases[0] \"a\"", "expect.skipped")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","assert":["1 +"]}]}""", "cases[0] \"a\"", "assert[0]")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","now":"yesterday"}]}""", "cases[0] \"a\"", "now")]
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","set":{"n":5}}]}""", "cases[0] \"a\"", "set.n")]
    // A number the engine cannot hold (once an unhandled exception of thaiyyal test, a 500 from the server).
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","expect":{"final_output":1e999}}]}""", "cases[0]", "value")]
    // A key given twice in one object is a mistake in a test file (it once crashed the reader on first use).
    [InlineData("""{"workflow":"w.json","cases":[{"name":"a","set":{"n":{"value":1},"n":{"value":2}}}]}""", null, "file")]
    public void An_invalid_file_names_the_case_and_the_field(string json, string? location, string field)
    {
        var ex = Invalid(json);
        Assert.Equal("x.thaiyyal-test.json", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Equal(field, ex.Field);
        Assert.StartsWith($"x.thaiyyal-test.json: {(location is null ? "" : location + ": ")}{field}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_reads_like_the_json_it_stands_for()
    {
        const string yaml = """
            workflow: flow.json
            seed: 3
            cases:
              - name: typed scalars
                now: 2030-01-02T03:04:05Z
                pin:
                  n: { count: 2, ratio: 0.5, ok: true, none: null, text: "42", plain: hello }
                expect:
                  node.n.count: 2
                  skipped: [a, b]
                assert:
                  - "node.n.count == 2"
            """;
        var file = TestFileReader.Parse("y.thaiyyal-test.yaml", yaml, TestFileFormat.Yaml);
        var c = Assert.Single(file.Cases);
        Assert.Equal("""{"count":2,"none":null,"ok":true,"plain":"hello","ratio":0.5,"text":"42"}""", c.Pin["n"].ToString());
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), c.Now);
        Assert.Equal(3, c.Seed);
        Assert.Equal(["a", "b"], c.Expect.Skipped);
        Assert.Equal("node.n.count == 2", Assert.Single(c.Assert).Text);
    }

    [Theory]
    [InlineData("workflow: flow.json\ncases:\n  - name: a\n   bad: 1\n", "invalid YAML at line 4")]
    [InlineData("workflow: [\ncases: x", "invalid YAML")]
    // YamlDotNet reports an empty tag with an ArgumentException (once an unhandled exception of thaiyyal test).
    [InlineData("workflow: flow.json\ncases: !<> x\n", "invalid YAML: Tag value must not be empty")]
    public void Broken_yaml_is_an_invalid_file(string yaml, string message)
    {
        var ex = Assert.Throws<TestFileException>(() => TestFileReader.Parse("y.yaml", yaml, TestFileFormat.Yaml));
        Assert.Equal("file", ex.Field);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_pin_the_clock_and_the_seed()
    {
        var file = TestFileReader.Parse("x", """{"workflow":"w.json","cases":[{"name":"a"}]}""", TestFileFormat.Json);
        Assert.Equal(TestFileReader.DefaultNow, file.Cases[0].Now);
        Assert.Equal(0, file.Cases[0].Seed);
    }
}
