using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class ExecutionIdGeneratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static ulong Bits(string id) => ulong.Parse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Ids_are_16_hex_digits_that_grow_in_text_order_and_carry_the_time_and_the_generator_number()
    {
        var time = new FakeTimeProvider(T0);
        var ids = new ExecutionIdGenerator(37, time);
        var made = new List<string>();
        for (var i = 0; i < 10_000; i++)
        {
            made.Add(ids.Next());
            if (i % 1000 == 0) time.Advance(TimeSpan.FromMilliseconds(3));
        }

        Assert.All(made, id => Assert.Matches("^[0-9a-f]{16}$", id));
        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Count, made.Distinct().Count());
        Assert.Equal(37, ids.Slot);
        Assert.All(made, id => Assert.Equal(37UL, (Bits(id) >> 12) & 2047));
        var firstMillisecond = (ulong)(T0 - new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMilliseconds;
        Assert.Equal(firstMillisecond, Bits(made[0]) >> 23);
    }

    [Fact]
    public void More_ids_than_a_millisecond_holds_and_a_clock_that_steps_back_still_give_growing_ids()
    {
        var time = new SettableClock { Now = T0 };
        var ids = new ExecutionIdGenerator(1, time);
        var made = Enumerable.Range(0, 5000).Select(_ => ids.Next()).ToList(); // 4,096 fit in one millisecond
        time.Now = T0 - TimeSpan.FromMinutes(5); // FakeTimeProvider refuses to go back
        made.AddRange(Enumerable.Range(0, 100).Select(_ => ids.Next()));

        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Count, made.Distinct().Count());
    }

    [Fact]
    public void Ids_taken_by_many_threads_at_once_are_all_different()
    {
        var ids = new ExecutionIdGenerator(5, TimeProvider.System);
        var made = new ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20_000; i++) made.Add(ids.Next());
        });

        Assert.Equal(160_000, made.Distinct().Count());
    }

    [Fact]
    public void A_generator_moved_to_another_slot_puts_that_slot_in_its_ids_and_they_still_grow()
    {
        var time = new FakeTimeProvider(T0);
        var ids = new ExecutionIdGenerator(3, time);
        var before = Enumerable.Range(0, 10).Select(_ => ids.Next()).ToList();
        ids.MoveTo(2047);
        var after = Enumerable.Range(0, 10).Select(_ => ids.Next()).ToList();

        Assert.All(before, id => Assert.Equal(3UL, (Bits(id) >> 12) & 2047));
        Assert.All(after, id => Assert.Equal(2047UL, (Bits(id) >> 12) & 2047));
        Assert.Equal([.. before, .. after], before.Concat(after).Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => ids.MoveTo(2048));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExecutionIdGenerator(-1, time));
    }

    [Fact]
    public void Two_generators_with_different_numbers_never_make_the_same_id_in_the_same_millisecond()
    {
        var time = new FakeTimeProvider(T0);
        var a = new ExecutionIdGenerator(1, time);
        var b = new ExecutionIdGenerator(2, time);
        var made = Enumerable.Range(0, 3000).SelectMany(_ => new[] { a.Next(), b.Next() }).ToList();

        Assert.Equal(made.Count, made.Distinct().Count());
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
