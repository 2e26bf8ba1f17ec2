namespace Thaiyyal.Server.Executions;

/// <summary>
/// The answer a run's record keeps in its end event: the whole answer when it fits <c>HISTORY_MAX_RESULT_BYTES</c>;
/// otherwise the same body without its node results and final output, which the record keeps elsewhere, each capped
/// with the truncation marker (its node runs and <c>final_output</c>). So no run stores more than the cap per result,
/// synchronous or asynchronous, however much it answered.
/// </summary>
public static class StoredAnswer
{
    /// <param name="answered">The body the run answered, as UTF-8 JSON.</param>
    /// <param name="result">The run it was written from.</param>
    /// <param name="elapsed">The run's time as the body states it.</param>
    /// <param name="extraFields">Top-level fields the body carries besides the run's (a stored workflow's id).</param>
    /// <param name="cap">The history's cap on a stored result, in bytes.</param>
    /// <param name="whole">Whether the answer is kept whole (its node results can be read from it).</param>
    public static byte[] Of(byte[] answered, ExecutionResult result, TimeSpan elapsed, Action<Utf8JsonWriter>? extraFields, int cap, out bool whole)
    {
        whole = answered.Length <= cap;
        if (whole) return answered;
        var slim = result with { NodeResults = ValueObject.Empty, FinalOutput = default };
        return NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, slim, elapsed, extraFields));
    }
}
