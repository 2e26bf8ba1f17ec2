namespace Thaiyyal.Server.Tests.TestHost;

/// <summary>
/// Tests that compare the process-wide engine meter before and after their own runs: they run alone, after the
/// parallel tests, so no other test's runs land in their deltas.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide metrics";
}
