using System.IO.Compression;
using System.Text;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

/// <summary>A batch row is read only as far as the run asked for; a damaged one is a storage error, never a run that is not there.</summary>
public sealed class BatchRowReadingTests
{
    private static byte[] Deflated(string json)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(Encoding.UTF8.GetBytes(json));
        return output.ToArray();
    }

    [Theory]
    [InlineData("not deflate at all")]
    [InlineData(null)]
    public void A_row_that_is_not_compressed_json_is_refused(string? raw)
    {
        var runs = raw is null ? Deflated("{\"runs\":1}") : Encoding.UTF8.GetBytes(raw);
        Assert.Throws<StorageException>(() => RunBundleJson.FindInBatch(runs, "0715f10200000001", null, "succeeded"));
    }

    [Theory]
    [InlineData("""[["0715f10200000001",null""")]
    [InlineData("""[5]""")]
    [InlineData("""[["0715f10200000001"]]""")]
    public void A_row_damaged_before_or_at_the_run_is_refused(string json) =>
        Assert.Throws<StorageException>(() => RunBundleJson.FindInBatch(Deflated(json), "0715f10200000001", null, "succeeded"));

    [Fact]
    public void Runs_before_the_one_asked_for_are_read_past_and_a_missing_run_is_not_there()
    {
        var other = """["0715f10200000002",null,"h","sync","api",1,null,null,null,{"deep":[[[1]],{"a":"]"}]},null,null,0,null,null,null,0]""";
        var wanted = """["0715f10200000001",3,"hash","sync","editor",1000000,1000000,2000000,1.5,15,null,"r",0,null,null,null,0]""";
        var runs = Deflated($"[{other},{wanted}]");

        var found = RunBundleJson.FindInBatch(runs, "0715f10200000001", "wf", "succeeded");

        Assert.NotNull(found);
        Assert.Equal(("0715f10200000001", 3, "hash", "editor", "15", "wf"),
            (found.Record.Id, found.Record.WorkflowVersion, found.Record.PayloadHash, found.Record.Source, found.Record.FinalOutputJson, found.Record.WorkflowId));
        Assert.Null(RunBundleJson.FindInBatch(runs, "0715f10200000003", "wf", "succeeded"));
        // Asked again, the same answer (the last run found is kept with the row's bytes).
        Assert.Equal(found, RunBundleJson.FindInBatch(runs, "0715f10200000001", "wf", "succeeded"));
        Assert.Null(RunBundleJson.FindInBatch(Deflated($"[{other}]"), "0715f10200000001", "wf", "succeeded"));
    }
}
