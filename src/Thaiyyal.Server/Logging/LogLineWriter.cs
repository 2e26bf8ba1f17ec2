using System.Buffers;
using System.Threading.Channels;

namespace Thaiyyal.Server.Logging;

/// <summary>
/// One writer thread that takes finished log lines from any number of threads and writes them to a stream in
/// batches: it writes whatever has queued into a 64 KiB buffer and flushes when the queue is empty, so a busy
/// server makes one <c>write</c> call for many records and an idle one still writes each record at once. Lines
/// from one thread keep their order (one FIFO queue). Nothing is dropped: past <see cref="MaxQueuedLines"/> the
/// logging threads wait for the writer. <see cref="Dispose"/> writes out everything queued before it returns,
/// and lines logged after it are written directly.
/// </summary>
public sealed class LogLineWriter : IDisposable
{
    /// <summary>How many lines may wait for the writer before logging threads wait too (a few MiB of memory).</summary>
    public const int MaxQueuedLines = 16_384;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Line> _queue = Channel.CreateUnbounded<Line>(new UnboundedChannelOptions { SingleReader = true });
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
        var bytes = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(bytes);
        if (Interlocked.Increment(ref _queued) > MaxQueuedLines) WaitForRoom();
        if (_queue.Writer.TryWrite(new Line(bytes, line.Length))) return;
        // Disposed: no writer thread any more, so write it here.
        Interlocked.Decrement(ref _queued);
        lock (_outputLock)
        {
            WriteAndReturn(new Line(bytes, line.Length));
            Flush();
        }
    }

    private void WaitForRoom()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _queued) > MaxQueuedLines && Volatile.Read(ref _disposed) == 0) spin.SpinOnce();
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        while (true)
        {
            var wait = reader.WaitToReadAsync();
            var more = wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
            if (!more) return;
            lock (_outputLock)
            {
                while (reader.TryRead(out var line))
                {
                    Interlocked.Decrement(ref _queued);
                    WriteAndReturn(line);
                }
                Flush();
            }
        }
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
            ArrayPool<byte>.Shared.Return(line.Bytes);
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
        _queue.Writer.TryComplete();
        _thread.Join(DrainTimeout);
        lock (_outputLock) Flush();
    }
}
