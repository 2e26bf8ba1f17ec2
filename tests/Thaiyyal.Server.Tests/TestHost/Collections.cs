namespace Thaiyyal.Server.Tests.TestHost;

/// <summary>
/// Tests that read metrics: they run alone, after the parallel tests, so no other test's runs land in their
/// deltas, and no other server in this process starts or stops meanwhile (ASP.NET Core's meters are per
/// service provider; a stopping server's instruments would retire the same-named streams of a live one).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide metrics";
}
