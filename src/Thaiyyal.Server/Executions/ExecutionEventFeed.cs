using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Fans a run's events out to live subscribers of its event stream. The in-process implementation serves the runs
/// this process executes; a PostgreSQL LISTEN/NOTIFY implementation can serve runs of other replicas behind the
/// same interface.
/// </summary>
public interface IExecutionEventFeed
{
    /// <summary>The run will publish events here (called when it is queued, before anyone learns its id).</summary>
    void Open(string executionId);

    /// <summary>Hands an event to the run's subscribers, in sequence order.</summary>
    void Publish(ExecutionEventRecord e);

    /// <summary>The run has published its last event: subscriptions end after it.</summary>
    void Complete(string executionId);

    /// <summary>The run's final state is stored: later subscribers read the store instead.</summary>
    void Release(string executionId);

    /// <summary>
    /// The run's events after <paramref name="afterSequence"/>: those so far, then live ones until the run ends;
    /// null when the feed does not carry this run (finished and stored, or unknown here).
    /// </summary>
    ChannelReader<ExecutionEventRecord>? Subscribe(string executionId, long afterSequence);

    /// <summary>Drops a subscription whose reader went away before the run ended.</summary>
    void Unsubscribe(string executionId, ChannelReader<ExecutionEventRecord> reader);
}

/// <summary>Keeps each live run's events in memory until it is stored, and copies new ones to subscriber channels.</summary>
public sealed class InProcessExecutionEventFeed : IExecutionEventFeed
{
    private readonly ConcurrentDictionary<string, LiveRun> _runs = new(StringComparer.Ordinal);

    public void Open(string executionId) => _runs.TryAdd(executionId, new LiveRun());

    public void Publish(ExecutionEventRecord e)
    {
        if (!_runs.TryGetValue(e.ExecutionId, out var run)) return;
        lock (run)
        {
            run.Events.Add(e);
            foreach (var subscriber in run.Subscribers) subscriber.Writer.TryWrite(e);
        }
    }

    public void Complete(string executionId)
    {
        if (!_runs.TryGetValue(executionId, out var run)) return;
        lock (run)
        {
            run.Completed = true;
            foreach (var subscriber in run.Subscribers) subscriber.Writer.TryComplete();
            run.Subscribers.Clear();
        }
    }

    public void Release(string executionId)
    {
        Complete(executionId);
        _runs.TryRemove(executionId, out _);
    }

    public ChannelReader<ExecutionEventRecord>? Subscribe(string executionId, long afterSequence)
    {
        if (!_runs.TryGetValue(executionId, out var run)) return null;
        // Unbounded per subscriber: a run's events are bounded by its node-execution and iteration caps.
        var channel = Channel.CreateUnbounded<ExecutionEventRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        lock (run)
        {
            foreach (var e in run.Events)
            {
                if (e.Sequence > afterSequence) channel.Writer.TryWrite(e);
            }
            if (run.Completed) channel.Writer.TryComplete();
            else run.Subscribers.Add(channel);
        }
        return channel.Reader;
    }

    public void Unsubscribe(string executionId, ChannelReader<ExecutionEventRecord> reader)
    {
        if (!_runs.TryGetValue(executionId, out var run)) return;
        lock (run) run.Subscribers.RemoveAll(c => c.Reader == reader);
    }

    private sealed class LiveRun
    {
        public List<ExecutionEventRecord> Events { get; } = [];

        public List<Channel<ExecutionEventRecord>> Subscribers { get; } = [];

        public bool Completed { get; set; }
    }
}
