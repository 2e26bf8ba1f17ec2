using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Thaiyyal.Server.Endpoints;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// <c>GET /api/v1/executions/{id}/events</c> as Server-Sent Events. A run this process executes is followed through
/// the <see cref="IExecutionEventFeed"/> (events so far, then live); any other run is read from the store until it
/// has finished, again whenever the replica executing it announces stored events (PostgreSQL LISTEN/NOTIFY). Each event's <c>id:</c> is its sequence; <c>Last-Event-ID</c> (or <c>?last_event_id=</c>)
/// resumes after it. A comment line keeps idle connections open; the stream ends after the run's last event.
/// </summary>
public static class ExecutionEventStream
{
    public const string ContentType = "text/event-stream";

    /// <summary>How often a run that is not live here is re-read from a one-process store (SQLite).</summary>
    public static readonly TimeSpan StorePollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task StreamAsync(string id, HttpContext http, ExecutionStore store, IExecutionEventFeed feed,
        ExecutionEventSignals signals, ServerSettings settings, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        var repository = store.Repository;
        if (!TryLastEventId(http, out var after))
        {
            await ApiResults.WriteErrorAsync(http, StatusCodes.Status400BadRequest, "Invalid Last-Event-ID", "it must be an event sequence number");
            return;
        }
        var live = feed.Subscribe(id, after);
        if (live is null && await repository.GetAsync(id, http.RequestAborted) is null)
        {
            await ExecutionEndpoints.NotFound(id).ExecuteAsync(http);
            return;
        }
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var writer = new SseWriter(response, after);
        try
        {
            await response.StartAsync(ending.Token);
            if (live is not null) await FollowLiveAsync(live, writer, settings.Executions.SseHeartbeat, time, ending.Token);
            else
            {
                // Only a shared store has other replicas that announce changes; one process's store is polled.
                var fallback = store.IsShared ? ExecutionEventSignals.FallbackInterval : StorePollInterval;
                await FollowStoredAsync(id, repository, signals, fallback, writer, settings.Executions.SseHeartbeat, time, ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            if (live is not null) feed.Unsubscribe(id, live);
        }
    }

    private static async Task FollowLiveAsync(ChannelReader<ExecutionEventRecord> live, SseWriter writer, TimeSpan heartbeat,
        TimeProvider time, CancellationToken cancellationToken)
    {
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= live.WaitToReadAsync(cancellationToken).AsTask();
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var beat = Task.Delay(heartbeat, time, tick.Token);
                if (await Task.WhenAny(waiting, beat) != waiting)
                {
                    await writer.HeartbeatAsync(cancellationToken);
                    continue;
                }
                await tick.CancelAsync();
            }
            if (!await waiting) return;
            waiting = null;
            while (live.TryRead(out var e)) await writer.EventAsync(e, cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Follows a run from the store: re-reads it when <see cref="ExecutionEventSignals"/> says it changed (another
    /// replica executes it) and at the latest every <paramref name="fallback"/>. A run that was put back on the queue
    /// (<c>restarts</c> went up) starts over: its new attempt's events are sent from sequence 1 again.
    /// </summary>
    private static async Task FollowStoredAsync(string id, IExecutionRepository repository, ExecutionEventSignals signals, TimeSpan fallback,
        SseWriter writer, TimeSpan heartbeat, TimeProvider time, CancellationToken cancellationToken)
    {
        var lastBeat = time.GetTimestamp();
        int? restarts = null;
        while (true)
        {
            // Taken before reading: a change stored while we read still wakes the next wait.
            var changed = signals.Next(id);
            // Status first: a finished run's events are all stored, so reading them after seeing it finished misses none.
            var record = await repository.GetAsync(id, cancellationToken);
            if (record is not null && restarts is { } seen && record.Restarts > seen) await writer.StartOverAsync(cancellationToken);
            restarts = record?.Restarts;
            if (record is null) return;
            foreach (var e in await StoredRunEvents.ReadAsync(repository, record, writer.LastSequence, cancellationToken))
                await writer.EventAsync(e, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            if (ExecutionStatusText.IsFinished(record.Status)) return;
            var pause = heartbeat < fallback ? heartbeat : fallback;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(changed, Task.Delay(pause, time, wait.Token));
                await wait.CancelAsync();
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (time.GetElapsedTime(lastBeat) >= heartbeat)
            {
                lastBeat = time.GetTimestamp();
                await writer.HeartbeatAsync(cancellationToken);
            }
        }
    }

    private static bool TryLastEventId(HttpContext http, out long after)
    {
        after = 0;
        var text = http.Request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0) text = http.Request.Query["last_event_id"].ToString();
        return text.Length == 0 || (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out after) && after >= 0);
    }

    /// <summary>Writes events in the SSE wire format, never one at or below the last sequence sent.</summary>
    private sealed class SseWriter(HttpResponse response, long after)
    {
        public long LastSequence { get; private set; } = after;

        public async Task EventAsync(ExecutionEventRecord e, CancellationToken cancellationToken)
        {
            if (e.Sequence <= LastSequence) return;
            LastSequence = e.Sequence;
            var text = new StringBuilder(e.DataJson.Length + 64)
                .Append("id: ").Append(e.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append("event: ").Append(e.Type).Append('\n')
                .Append("data: ").Append(e.DataJson).Append("\n\n");
            await response.WriteAsync(text.ToString(), cancellationToken);
        }

        /// <summary>The run went back on the queue: its next attempt's events (numbered from 1 again) follow.</summary>
        public async Task StartOverAsync(CancellationToken cancellationToken)
        {
            LastSequence = 0;
            await response.WriteAsync(": the run was queued again after its replica was lost; its events start over\n\n", cancellationToken);
        }

        public async Task HeartbeatAsync(CancellationToken cancellationToken)
        {
            await response.WriteAsync(": heartbeat\n\n", cancellationToken);
            await FlushAsync(cancellationToken);
        }

        public Task FlushAsync(CancellationToken cancellationToken) => response.Body.FlushAsync(cancellationToken);
    }
}
