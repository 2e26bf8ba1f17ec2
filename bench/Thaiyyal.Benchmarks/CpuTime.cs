using System.Diagnostics;

namespace Thaiyyal.Benchmarks;

/// <summary>
/// A second opinion for a machine shared with other work: the process's CPU time per operation next to its wall
/// time, so that time spent waiting for a core does not count. Run with <c>-- --cpu-time</c>; the figures are
/// recorded in docs/performance.md next to BenchmarkDotNet's.
/// </summary>
internal static class CpuTime
{
    public static void Run()
    {
        var expressions = new ExpressionBenchmarks();
        expressions.Setup();
        var engine = new EngineBenchmarks();
        engine.Setup();
        Measure("FilterThousandElements", () => expressions.FilterThousandElements());
        Measure("FilterThousandElementsInterpreted", () => expressions.FilterThousandElementsInterpreted());
        Measure("DecodeAndRunPipelineOf1000Items", () => engine.DecodeAndRunPipelineOf1000Items().GetAwaiter().GetResult());
        Measure("DecodeAndRunAddition", () => engine.DecodeAndRunAddition().GetAwaiter().GetResult());
    }

    private static void Measure<T>(string name, Func<T> operation)
    {
        for (var i = 0; i < 2000; i++) operation();
        var process = Process.GetCurrentProcess();
        // Five rounds of about two seconds of CPU each; the lowest round is reported (the least disturbed).
        var best = double.MaxValue;
        var bestWall = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            long count = 0;
            do
            {
                for (var i = 0; i < 200; i++) operation();
                count += 200;
                process.Refresh();
            }
            while ((process.TotalProcessorTime - cpuStart).TotalSeconds < 2);
            best = Math.Min(best, (process.TotalProcessorTime - cpuStart).TotalMicroseconds / count);
            bestWall = Math.Min(bestWall, wall.Elapsed.TotalMicroseconds / count);
        }
        Console.WriteLine($"{name}: {best:F2} µs CPU per operation (lowest of 5 rounds), {bestWall:F2} µs wall");
    }
}
