namespace Thaiyyal.Server.Hosting;

/// <summary>Where the process is in its life: readiness is 503 while <see cref="ServerPhase.Starting"/> and <see cref="ServerPhase.Draining"/>.</summary>
public enum ServerPhase
{
    Starting,
    Ready,
    Draining,
}

/// <summary>The server's phase and start time (for <c>uptime</c>).</summary>
public sealed class ServerState(TimeProvider time)
{
    private int _phase = (int)ServerPhase.Starting;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public long StartedTimestamp { get; } = time.GetTimestamp();

    public ServerPhase Phase => (ServerPhase)Volatile.Read(ref _phase);

    public TimeSpan Uptime => time.GetElapsedTime(StartedTimestamp);

    public void MarkReady() => Interlocked.CompareExchange(ref _phase, (int)ServerPhase.Ready, (int)ServerPhase.Starting);

    public void MarkDraining() => Volatile.Write(ref _phase, (int)ServerPhase.Draining);
}
