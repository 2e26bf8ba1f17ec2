namespace Thaiyyal.Testing.Tests;

/// <summary>A temporary folder with a workflow and test files written into it.</summary>
public sealed class TestFiles : IDisposable
{
    /// <summary>number a (10) and b (5) into an add operation sum; sum feeds a condition big (&gt;12) with two branches.</summary>
    public const string Workflow = """
        {"workflow_id":"w","nodes":[
          {"id":"a","type":"number","data":{"value":10}},
          {"id":"b","type":"number","data":{"value":5}},
          {"id":"sum","type":"operation","data":{"op":"add"}},
          {"id":"big","type":"condition","data":{"condition":">12"}},
          {"id":"yes","type":"expression","data":{"expression":"input.value * 2"}},
          {"id":"no","type":"expression","data":{"expression":"0"}}],
         "edges":[{"source":"a","target":"sum"},{"source":"b","target":"sum"},{"source":"sum","target":"big"},
          {"source":"big","sourceHandle":"true","target":"yes"},{"source":"big","sourceHandle":"false","target":"no"}]}
        """;

    public string Dir { get; } = Directory.CreateTempSubdirectory("thaiyyal-test-").FullName;

    public TestFiles() => Write("flow.json", Workflow);

    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
