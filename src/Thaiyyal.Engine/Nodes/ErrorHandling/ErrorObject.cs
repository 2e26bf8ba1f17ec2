namespace Thaiyyal.Engine.Nodes.ErrorHandling;

/// <summary>
/// The original engine's soft failure: an object with an <c>error</c> key. Nodes such as the array
/// operations return one instead of failing; the error-handling nodes recognise it.
/// </summary>
internal static class ErrorObject
{
    /// <summary>True when <paramref name="value"/> is an object with an <c>error</c> key; <paramref name="error"/> is its value.</summary>
    public static bool TryGet(Value value, out Value error)
    {
        if (value.TryGetObject(out var obj) && obj.TryGetValue("error", out error)) return true;
        error = default;
        return false;
    }

    /// <summary>The error text as <c>retry</c> reads it: the <c>error</c> value when it is a string, else empty.</summary>
    public static string StringMessage(Value error) => error.TryGetString(out var s) ? s : "";

    /// <summary>The error text as <c>try_catch</c> reads it: the string, else its generic text.</summary>
    public static string GenericMessage(Value error) => Compatibility.GoValueText.ToGoString(error);
}
