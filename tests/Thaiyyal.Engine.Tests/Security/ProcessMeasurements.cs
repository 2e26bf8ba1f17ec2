namespace Thaiyyal.Engine.Tests.Security;

/// <summary>Tests that read process-wide CPU time or memory run alone, so other tests do not blur the figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMeasurements
{
    public const string Name = "process measurements";
}
