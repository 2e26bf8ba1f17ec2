using System.Diagnostics;
using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Security;

/// <summary>Issue 10, items 2 and 3: payloads under the body limit whose results would grow without bound.</summary>
[Collection(ProcessMeasurements.Name)]
public sealed class ResultLimitTests
{
    /// <summary>Layers of two parallel nodes, each fed by both nodes of the layer before: results double per layer.</summary>
    internal static string ParallelLayers(int layers)
    {
        var nodes = new StringBuilder("""{"id":"n","type":"number","data":{"value":1}}""");
        var edges = new StringBuilder();
        for (var layer = 0; layer < layers; layer++)
        {
            foreach (var side in new[] { "a", "b" })
            {
                var id = $"{side}{layer}";
                nodes.Append($$$""",{"id":"{{{id}}}","type":"parallel","data":{}}""");
                if (layer == 0) Edge(edges, "n", id);
                else
                {
                    Edge(edges, $"a{layer - 1}", id);
                    Edge(edges, $"b{layer - 1}", id);
                }
            }
        }
        return $$$"""{"nodes":[{{{nodes}}}],"edges":[{{{edges}}}]}""";
    }

    private static void Edge(StringBuilder edges, string source, string target)
    {
        if (edges.Length > 0) edges.Append(',');
        edges.Append($$$"""{"source":"{{{source}}}","target":"{{{target}}}"}""");
    }

    internal static string HugeJsonArrayParse(int elements)
    {
        var array = new StringBuilder("[");
        for (var i = 0; i < elements; i++) array.Append(i == 0 ? "1" : ",1");
        array.Append(']');
        return $$$"""{"nodes":[{"id":"t","type":"text_input","data":{"text":"{{{array}}}"}},{"id":"p","type":"parse","data":{"input_type":"JSON"}}],"edges":[{"source":"t","target":"p"}]}""";
    }

    [Fact]
    public async Task Exponential_parallel_layers_fail_with_result_size_exceeded()
    {
        var result = await TestEngines.RunAsync(ParallelLayers(24));
        Assert.False(result.Success);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Equal("result_bytes", result.Error.Limit);
        Assert.Contains("result size exceeded", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_limit_stops_a_few_layers_and_a_big_one_lets_them_through()
    {
        var small = await TestEngines.RunAsync(ParallelLayers(6), limits: ExecutionLimits.Default with { MaxResultBytes = 2_000 });
        Assert.Equal("result_bytes", small.Error?.Limit);
        var fits = await TestEngines.RunAsync(ParallelLayers(6));
        Assert.True(fits.Success, fits.Error?.Message);
        Assert.Equal(64, fits.NodeResults["a5"].AsObject()["results"].AsArray()[0].AsObject()["results"].AsArray().Count * 32);
    }

    [Fact]
    public async Task Results_inside_scope_bodies_count_too()
    {
        // A for_each whose body doubles a 1000-character string, 20 times: each body result is counted.
        var json = $$$"""
            {"nodes":[{"id":"r","type":"range","data":{"start":1,"end":20}},
                      {"id":"loop","type":"for_each","data":{}},
                      {"id":"body","type":"expression","parentId":"loop","data":{"expression":"\"{{{new string('x', 1000)}}}\""}}],
             "edges":[{"source":"r","target":"loop"}]}
            """;
        var limited = await TestEngines.RunAsync(json, limits: ExecutionLimits.Default with { MaxResultBytes = 10_000 });
        Assert.Equal("result_bytes", limited.Error?.Limit);
        var open = await TestEngines.RunAsync(json);
        Assert.True(open.Success, open.Error?.Message);
    }

    [Fact]
    public async Task Parse_of_a_nine_megabyte_array_fails_the_array_limit_while_reading()
    {
        var json = HugeJsonArrayParse(4_500_000);
        Assert.True(json.Length > 9_000_000);
        // Parse stops at element 10,001 instead of building 4.5 million.
        var byArray = await TestEngines.RunAsync(json);
        Assert.Equal("error executing node p: array too large: more than 10000 elements (limit: 10000)", byArray.Error?.Message);
        Assert.Equal("array_length", byArray.Error!.Limit);
    }

    [Fact]
    public async Task Map_over_a_huge_range_fails_the_array_limit()
    {
        var json = """
            {"nodes":[{"id":"r","type":"range","data":{"start":0,"end":4000000}},{"id":"m","type":"map","data":{"expression":"item * 2"}}],
             "edges":[{"source":"r","target":"m"}]}
            """;
        // The range is refused before map sees it (the original's message); nothing can hand map more than the limit.
        var result = await TestEngines.RunAsync(json);
        Assert.Equal("error executing node r: range would generate more than 10000 items, adjust start/end/step", result.Error?.Message);
    }

    [Fact]
    public async Task Split_and_text_results_hold_the_string_and_array_limits()
    {
        var split = """
            {"nodes":[{"id":"n","type":"number","data":{"value":1}},{"id":"e","type":"expression","data":{"expression":"\"a,b,c,d,e,f\".split(\",\")"}}],
             "edges":[{"source":"n","target":"e"}]}
            """;
        var result = await TestEngines.RunAsync(split, limits: ExecutionLimits.Default with { MaxArrayLength = 3 });
        Assert.Equal("array_length", result.Error?.Limit);
        var repeat = """
            {"nodes":[{"id":"t","type":"text_input","data":{"text":"ab"}},{"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":600}}],
             "edges":[{"source":"t","target":"r"}]}
            """;
        var text = await TestEngines.RunAsync(repeat, limits: ExecutionLimits.Default with { MaxStringLength = 1000 });
        Assert.Equal("string_length", text.Error?.Limit);
        Assert.Equal("r", text.Error!.NodeId);
        // Parsed XML is held to the string limit inside the object it builds.
        var xml = $$$"""
            {"nodes":[{"id":"t","type":"text_input","data":{"text":"<a>{{{new string('é', 600)}}}</a>"}},{"id":"p","type":"parse","data":{"input_type":"XML"}}],
             "edges":[{"source":"t","target":"p"}]}
            """;
        var tooLong = await TestEngines.RunAsync(xml, limits: ExecutionLimits.Default with { MaxStringLength = 1000 });
        Assert.True(tooLong.Error?.Message == "error executing node p: string too long: 1200 bytes (limit: 1000)",
            tooLong.Error?.Message ?? Engine.Workflows.ValueJson.Serialize(Engine.Workflows.Value.From(tooLong.NodeResults)));
        var fits = await TestEngines.RunAsync(repeat);
        Assert.Equal(1200, fits.NodeResults["r"].AsString().Length);
    }

    [Fact]
    public async Task The_reproductions_keep_the_process_under_one_gibibyte()
    {
        // Measured, not timed: every reproduction of items 2 and 3 runs in this process, then the peak working set is read.
        foreach (var layers in new[] { 22, 24, 26 })
        {
            var result = await TestEngines.RunAsync(ParallelLayers(layers));
            Assert.Equal("result_bytes", result.Error?.Limit);
        }
        var parse = await TestEngines.RunAsync(HugeJsonArrayParse(4_500_000));
        Assert.Equal("array_length", parse.Error?.Limit);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Assert.True(process.PeakWorkingSet64 < 1024L * 1024 * 1024, $"peak working set {process.PeakWorkingSet64} bytes");
    }
}
