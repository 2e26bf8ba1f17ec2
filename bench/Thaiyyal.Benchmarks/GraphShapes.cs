using System.Text;

namespace Thaiyyal.Benchmarks;

/// <summary>Payloads of large graphs built from the nodes every engine has.</summary>
public static class GraphShapes
{
    /// <summary>number → renderer → renderer → … (<paramref name="length"/> nodes in a line).</summary>
    public static string LinearChain(int length)
    {
        var sb = new StringBuilder("""{"nodes":[{"id":"n0","type":"number","data":{"value":1}}""");
        for (var i = 1; i < length; i++) sb.Append($$$""",{"id":"n{{{i}}}","type":"renderer","data":{}}""");
        sb.Append("""],"edges":[""");
        for (var i = 1; i < length; i++) sb.Append(i > 1 ? "," : "").Append($$"""{"source":"n{{i - 1}}","target":"n{{i}}"}""");
        return sb.Append("]}").ToString();
    }

    /// <summary><paramref name="edges"/> number nodes all feeding one text concatenation… here a renderer that takes the first.</summary>
    public static string FanIn(int edges)
    {
        var sb = new StringBuilder("""{"nodes":[{"id":"sink","type":"renderer","data":{}}""");
        for (var i = 0; i < edges; i++) sb.Append($$$""",{"id":"s{{{i}}}","type":"number","data":{"value":{{{i}}}}}""");
        sb.Append("""],"edges":[""");
        for (var i = 0; i < edges; i++) sb.Append(i > 0 ? "," : "").Append($$"""{"source":"s{{i}}","target":"sink"}""");
        return sb.Append("]}").ToString();
    }
}
