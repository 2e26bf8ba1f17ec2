using System.Text;
using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Execution;

/// <summary>
/// What decoding and running the 3-node addition allocates, per run, on the calling thread: a budget that fails when
/// a change adds per-run or per-node garbage (a boxed enumerator, a closure, a table created before it is needed).
/// Speed itself is measured in bench/ (docs/performance.md).
/// </summary>
[Collection(Security.ProcessMeasurements.Name)]
public sealed class RunAllocationTests
{
    private static readonly byte[] Addition = Encoding.UTF8.GetBytes(
        """{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"id":"e1","source":"1","target":"3"},{"id":"e2","source":"2","target":"3"}]}""");

    /// <summary>
    /// Measured last (6 December 2026): 2,168 bytes with this test alone, 2,432 in the whole suite (something earlier
    /// tests leave behind adds about 260 bytes), 1,984 in a console program. 3,400 / 3,664 / 3,216 the day before, and
    /// about 4.5 KB before this test existed (docs/performance.md).
    /// </summary>
    private const long Budget = 2_700;

    [Fact]
    public void Decoding_and_running_the_addition_stays_within_its_allocation_budget()
    {
        var engine = new WorkflowEngine(new EngineOptions { MaxDegreeOfParallelism = 1 });
        // The least of several rounds: the first ones run code the JIT has not optimised yet (tier 0 allocates some
        // objects that optimised code keeps on the stack), and the JIT optimises in the background.
        var perRun = long.MaxValue;
        for (var round = 0; round < 30; round++)
        {
            const int runs = 200;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < runs; i++) Run();
            perRun = Math.Min(perRun, (GC.GetAllocatedBytesForCurrentThread() - before) / runs);
            if (perRun <= Budget) break;
            Thread.Sleep(50);
        }

        Assert.True(perRun <= Budget, $"the addition allocated {perRun} bytes per decode and run (budget {Budget})");

        void Run()
        {
            // Completes synchronously (no node waits), so everything it allocates is counted on this thread.
            var pending = engine.ExecuteAsync(engine.Parse(Addition));
            Assert.True(pending.IsCompletedSuccessfully);
            Assert.Equal(15, pending.Result.FinalOutput.AsNumber());
        }
    }
}
