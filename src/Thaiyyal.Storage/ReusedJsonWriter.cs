using System.Buffers;
using System.Text.Json;

namespace Thaiyyal.Storage;

/// <summary>
/// A JSON writer and its buffer, kept by an encoder for one run after another on one thread: <see cref="Start"/>
/// begins a text, <see cref="Finish"/> copies it out. A text past <see cref="KeptBytes"/> (a run with huge results)
/// lets both go, so the thread does not keep that much memory for the rest of its life.
/// </summary>
internal sealed class ReusedJsonWriter(JsonWriterOptions options, int initialBytes) : IDisposable
{
    /// <summary>The largest buffer kept for the next text.</summary>
    public const int KeptBytes = 256 * 1024;

    private ArrayBufferWriter<byte>? _buffer;
    private Utf8JsonWriter? _writer;

    /// <summary>The size of the buffer kept for the next text (0 when none is).</summary>
    public int KeptCapacity => _buffer?.Capacity ?? 0;

    /// <summary>The writer of the text begun by <see cref="Start"/>.</summary>
    public Utf8JsonWriter Writer => _writer ?? throw new InvalidOperationException("Start the encoder first");

    public Utf8JsonWriter Start()
    {
        if (_buffer is null || _writer is null)
        {
            _buffer = new ArrayBufferWriter<byte>(initialBytes);
            _writer = new Utf8JsonWriter(_buffer, options);
            return _writer;
        }
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>The text written since <see cref="Start"/>, copied.</summary>
    public byte[] Finish()
    {
        Writer.Flush();
        var text = _buffer!.WrittenSpan.ToArray();
        if (_buffer.Capacity > KeptBytes) Dispose();
        return text;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _buffer = null;
    }
}
