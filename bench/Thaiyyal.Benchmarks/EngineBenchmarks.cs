using System.Text;
using BenchmarkDotNet.Attributes;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Benchmarks;

/// <summary>Decode and run whole workflows: the small case every request pays, and large graphs.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private static readonly byte[] Addition = Encoding.UTF8.GetBytes(
        """{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"id":"e1","source":"1","target":"3"},{"id":"e2","source":"2","target":"3"}]}""");

    private readonly WorkflowEngine _sequential = new(new EngineOptions { MaxDegreeOfParallelism = 1 });
    private readonly WorkflowEngine _parallel = new();
    private Workflow _chain = null!;
    private Workflow _fanIn = null!;
    private byte[] _chainPayload = [];

    [GlobalSetup]
    public void Setup()
    {
        _chainPayload = Encoding.UTF8.GetBytes(GraphShapes.LinearChain(1000));
        _chain = _sequential.Parse(_chainPayload);
        _fanIn = _sequential.Parse(GraphShapes.FanIn(2000));
    }

    /// <summary>The 3-node addition, decoded and run (the original: ~61 µs, 255 allocations).</summary>
    [Benchmark(Baseline = true)]
    public async Task<ExecutionResult> DecodeAndRunAddition() => await _sequential.ExecuteAsync(_sequential.Parse(Addition));

    [Benchmark]
    public async Task<ExecutionResult> DecodeAndRunAdditionParallelScheduler() => await _parallel.ExecuteAsync(_parallel.Parse(Addition));

    [Benchmark]
    public Workflow DecodeChainOf1000() => _sequential.Parse(_chainPayload);

    [Benchmark]
    public async Task<ExecutionResult> RunChainOf1000() => await _sequential.ExecuteAsync(_chain);

    [Benchmark]
    public async Task<ExecutionResult> RunFanInOf2000Edges() => await _sequential.ExecuteAsync(_fanIn);
}
