using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Server.Storage;

namespace Thaiyyal.Server.Tests.Storage;

public sealed class StorageFailureLogTests
{
    [Fact]
    public void An_operation_that_keeps_failing_is_logged_once_an_interval_with_the_failures_left_out_since()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var failures = new StorageFailureLog(time);

        Assert.True(failures.ShouldLog("checkpoint", out var suppressed));
        Assert.Equal(0, suppressed);
        for (var i = 0; i < 39; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.False(failures.ShouldLog("checkpoint", out _));
        }
        // Another operation has its own record, at once.
        Assert.True(failures.ShouldLog("workflow.save", out suppressed));
        Assert.Equal(0, suppressed);

        time.Advance(TimeSpan.FromMilliseconds(250));   // 10 s after the first record
        Assert.True(failures.ShouldLog("checkpoint", out suppressed));
        Assert.Equal(39, suppressed);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(failures.ShouldLog("checkpoint", out suppressed));
        Assert.Equal(0, suppressed);
    }
}
