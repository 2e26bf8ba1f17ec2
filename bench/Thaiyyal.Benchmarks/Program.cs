using BenchmarkDotNet.Running;
using Thaiyyal.Benchmarks;

// dotnet run -c Release --project bench/Thaiyyal.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project bench/Thaiyyal.Benchmarks -- --cpu-time    (CPU time per operation, see CpuTime)
if (args is ["--cpu-time"]) CpuTime.Run();
else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
