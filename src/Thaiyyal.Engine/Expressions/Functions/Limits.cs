using System.Text;

namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>Run limits and cancellation as functions that build arrays and strings observe them.</summary>
internal static class Limits
{
    /// <summary>How many loop steps pass between cancellation checks.</summary>
    public const int CancellationStride = 1024;

    public static void CheckArray(ref Evaluator ev, int count)
    {
        var max = ev.Environment.Limits.MaxArrayLength;
        if (max > 0 && count > max)
            throw new ExecutionLimitException("array_length", $"array too large: {count} elements (limit: {max})");
    }

    public static void CheckString(ref Evaluator ev, string text)
    {
        var max = ev.Environment.Limits.MaxStringLength;
        if (max <= 0 || text.Length * 3 <= max) return;
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > max) throw new ExecutionLimitException("string_length", $"string too long: {bytes} bytes (limit: {max})");
    }

    /// <summary>Throws when the run is cancelled; call every <see cref="CancellationStride"/> steps of a long loop.</summary>
    public static void CheckCancelled(ref Evaluator ev, int step)
    {
        if ((step & (CancellationStride - 1)) == 0) ev.Environment.CancellationToken.ThrowIfCancellationRequested();
    }
}
