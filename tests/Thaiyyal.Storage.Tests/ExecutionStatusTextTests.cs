namespace Thaiyyal.Storage.Tests;

public sealed class ExecutionStatusTextTests
{
    [Fact]
    public void Every_status_has_its_lowercase_name_and_the_name_reads_back()
    {
        Assert.Equal(["queued", "running", "succeeded", "failed", "cancelled", "interrupted"],
            Enum.GetValues<ExecutionStatus>().Select(ExecutionStatusText.Of));
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            Assert.True(ExecutionStatusText.TryParse(ExecutionStatusText.Of(status), out var read));
            Assert.Equal(status, read);
        }
        Assert.False(ExecutionStatusText.TryParse("3", out _));
        Assert.False(ExecutionStatusText.TryParse("done", out _));
    }
}
