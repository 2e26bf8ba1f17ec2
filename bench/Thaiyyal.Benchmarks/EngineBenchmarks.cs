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

    // The 6-node pipeline of scripts/load.sh: range 0..999 -> filter -> expression -> map -> expression -> reduce.
    private static readonly byte[] Pipeline = Encoding.UTF8.GetBytes(
        """{"nodes":[{"id":"r","type":"range","data":{"start":0,"end":999}},{"id":"f","type":"filter","data":{"condition":"item % 3 != 0"}},{"id":"e1","type":"expression","data":{"expression":"input.filtered"}},{"id":"m","type":"map","data":{"expression":"item * 2 + index"}},{"id":"e2","type":"expression","data":{"expression":"input.results"}},{"id":"s","type":"reduce","data":{"expression":"accumulator + item","initial_value":0}}],"edges":[{"source":"r","target":"f"},{"source":"f","target":"e1"},{"source":"e1","target":"m"},{"source":"m","target":"e2"},{"source":"e2","target":"s"}]}""");

    private readonly WorkflowEngine _sequential = new(new EngineOptions { MaxDegreeOfParallelism = 1 });
    private readonly WorkflowEngine _parallel = new();
    private Workflow _chain = null!;
    private Workflow _fanIn = null!;
    private byte[] _chainPayload = [];
    private ExecutionResult _pipelineResult = null!;
    private readonly System.Buffers.ArrayBufferWriter<byte> _responseBuffer = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _chainPayload = Encoding.UTF8.GetBytes(GraphShapes.LinearChain(1000));
        _chain = _sequential.Parse(_chainPayload);
        _fanIn = _sequential.Parse(GraphShapes.FanIn(2000));
        _pipelineResult = _sequential.ExecuteAsync(_sequential.Parse(Pipeline)).GetAwaiter().GetResult();
    }

    /// <summary>The pipeline's answer (every node's result: about 3,700 numbers, 15 KB) written as the execute route writes it.</summary>
    [Benchmark]
    public int WritePipelineResponse()
    {
        _responseBuffer.ResetWrittenCount();
        using (var writer = new System.Text.Json.Utf8JsonWriter(_responseBuffer, Engine.Workflows.ValueJson.WriterOptions))
            ExecutionResponseWriter.Write(writer, _pipelineResult, TimeSpan.FromMilliseconds(1));
        return _responseBuffer.WrittenCount;
    }

    // The engine's task is returned as it is: an async wrapper here would add a task of its own to every operation
    // (about 70 bytes), which is the benchmark's cost, not the engine's.

    /// <summary>The 3-node addition, decoded and run (the original: ~61 µs, 255 allocations).</summary>
    [Benchmark(Baseline = true)]
    public Task<ExecutionResult> DecodeAndRunAddition() => _sequential.ExecuteAsync(_sequential.Parse(Addition));

    [Benchmark]
    public Task<ExecutionResult> DecodeAndRunAdditionParallelScheduler() => _parallel.ExecuteAsync(_parallel.Parse(Addition));

    /// <summary>The 1,000-item pipeline decoded and run (its expressions come from the parse cache after the first run).</summary>
    [Benchmark]
    public async Task<ExecutionResult> DecodeAndRunPipelineOf1000Items() => await _sequential.ExecuteAsync(_sequential.Parse(Pipeline));

    [Benchmark]
    public Workflow DecodeChainOf1000() => _sequential.Parse(_chainPayload);

    [Benchmark]
    public async Task<ExecutionResult> RunChainOf1000() => await _sequential.ExecuteAsync(_chain);

    [Benchmark]
    public async Task<ExecutionResult> RunFanInOf2000Edges() => await _sequential.ExecuteAsync(_fanIn);
}
