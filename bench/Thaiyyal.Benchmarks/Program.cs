using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Thaiyyal.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
