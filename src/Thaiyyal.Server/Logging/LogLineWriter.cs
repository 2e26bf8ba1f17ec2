using System.Buffers;
using System.Collections.Concurrent;

namespace Thaiyyal.Server.Logging;

/// <summary>
/// One writer thread that takes finished log lines from any number of threads and writes them to a stream in
/// batches: while lines keep coming it writes whatever has queued every few milliseconds through a 64 KiB buffer,
/// so a busy server makes one <c>write</c> call for many records and logging threads never wait on a lock or
/// wake the writer; after a quiet spell the next record is written at once. Lines
/// from one thread keep their order (one FIFO queue). Nothing is dropped: past <see cref="MaxQueuedLines"/> the
/// logging threads wait for the writer. <see cref="Dispose"/> writes out everything queued before it returns,
/// and lines logged after it are written directly.
/// </summary>
public sealed class LogLineWriter : IDisposable
{
    /// <summary>How many lines may wait for the writer before logging threads wait too (a few MiB of memory).</summary>
    public const int MaxQueuedLines = 16_384;

    /// <summary>The size of the reusable line buffers; longer lines use <see cref="ArrayPool{T}"/>.</summary>
    private const int LineBufferBytes = 1024;

    /// <summary>At most this many free line buffers are kept (1 MiB) after a burst.</summary>
    private const int MaxFreeBuffers = 1024;

    /// <summary>A queue this long wakes the writer before its batch interval is over.</summary>
    private const int WakeAtLines = 1024;

    /// <summary>
    /// While lines keep coming, the writer writes what has queued every this often rather than being woken per line
    /// (a wake-up costs the logging thread a system call); the first line after a quiet spell is written at once.
    /// </summary>
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// An idle writer looks at the queue at least this often: a wake-up can be missed when a logging thread's read of
    /// the sleeping flag is reordered before its enqueue becomes visible, and then a line waits at most this long.
    /// </summary>
    private static readonly TimeSpan IdleRecheck = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Line> _queue = new();
    // Line buffers go back and forth between the logging threads and the writer; ArrayPool's per-thread caches
    // do not fit that (rented on one thread, returned on another), so the writer keeps its own free list, which
    // keeps at most MaxFreeBuffers of them.
    private readonly ConcurrentQueue<byte[]> _freeBuffers = new();
    private int _freeCount;
    // No spinning before blocking: a writer that spins whenever the queue runs dry burns a core on a busy server.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private int _sleeping;
    private readonly Stream _output;
    private readonly Lock _outputLock = new();
    private readonly Thread _thread;
    private int _queued;
    private int _disposed;

    public LogLineWriter(Stream output)
    {
        _output = new BufferedStream(output, 64 * 1024);
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "thaiyyal log writer" };
        _thread.Start();
    }

    private readonly record struct Line(byte[] Bytes, int Length);

    /// <summary>Queues one finished line (its bytes are copied).</summary>
    public void Write(ReadOnlySpan<byte> line)
    {
        var bytes = line.Length <= LineBufferBytes && TakeFreeBuffer() is { } reused ? reused
            : line.Length <= LineBufferBytes ? new byte[LineBufferBytes] : ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(bytes);
        var queued = Interlocked.Increment(ref _queued);
        if (queued > MaxQueuedLines) WaitForRoom();
        _queue.Enqueue(new Line(bytes, line.Length));
        // Wake the writer only from its idle sleep or when a batch is large; otherwise it comes back on its own.
        if ((Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1) || queued == WakeAtLines) _wake.Set();
        // Disposed: the writer thread may have finished before this line arrived, so write it out here.
        if (Volatile.Read(ref _disposed) != 0) Drain();
    }

    private byte[]? TakeFreeBuffer()
    {
        if (!_freeBuffers.TryDequeue(out var buffer)) return null;
        Interlocked.Decrement(ref _freeCount);
        return buffer;
    }

    private void WaitForRoom()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _queued) > MaxQueuedLines && Volatile.Read(ref _disposed) == 0) spin.SpinOnce();
    }

    private void WriteLoop()
    {
        while (true)
        {
            var wrote = Drain();
            if (Volatile.Read(ref _disposed) != 0 && _queue.IsEmpty) return;
            _wake.Reset();
            if (wrote)
            {
                // Busy: collect the next batch for a moment instead of being woken for every line.
                _wake.Wait(BatchInterval);
                continue;
            }
            // Idle: announce a sleep that the next line ends, then look once more so a line queued in between
            // is not left waiting.
            Interlocked.Exchange(ref _sleeping, 1);
            if (_queue.IsEmpty && Volatile.Read(ref _disposed) == 0) _wake.Wait(IdleRecheck);
            Volatile.Write(ref _sleeping, 0);
        }
    }

    private bool Drain()
    {
        var wrote = false;
        lock (_outputLock)
        {
            while (_queue.TryDequeue(out var line))
            {
                Interlocked.Decrement(ref _queued);
                WriteAndReturn(line);
                wrote = true;
            }
            if (wrote) Flush();
        }
        return wrote;
    }

    private void WriteAndReturn(Line line)
    {
        try
        {
            _output.Write(line.Bytes, 0, line.Length);
        }
        catch (IOException)
        {
            // Standard output closed (the reading process went away): the records have nowhere to go.
        }
        finally
        {
            if (line.Bytes.Length != LineBufferBytes) ArrayPool<byte>.Shared.Return(line.Bytes);
            else if (Interlocked.Increment(ref _freeCount) <= MaxFreeBuffers) _freeBuffers.Enqueue(line.Bytes);
            else Interlocked.Decrement(ref _freeCount);
        }
    }

    private void Flush()
    {
        try
        {
            _output.Flush();
        }
        catch (IOException)
        {
            // As above: nobody reads standard output any more.
        }
    }

    /// <summary>Stops taking lines into the queue and waits until the writer has written every queued line.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _wake.Set();
        _thread.Join(DrainTimeout);
        Drain();
    }
}
