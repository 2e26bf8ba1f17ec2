namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary>How array nodes read their input (nodes.md, section H).</summary>
internal static class ArrayNodeInputs
{
    private static readonly string[] WrapperKeys = ["range", "array", "items", "data", "values"];

    /// <summary>
    /// The array of <paramref name="input"/>: the input itself, or for an object the first of <c>range</c>,
    /// <c>array</c>, <c>items</c>, <c>data</c>, <c>values</c> that holds an array (what <c>filter</c> and
    /// <c>partition</c> accept, so a <c>range</c> result can feed them).
    /// </summary>
    public static bool TryUnwrap(Value input, out ValueArray array)
    {
        if (input.TryGetArray(out var direct))
        {
            array = direct;
            return true;
        }
        if (input.TryGetObject(out var obj))
        {
            foreach (var key in WrapperKeys)
            {
                if (obj.TryGetValue(key, out var inner) && inner.TryGetArray(out var wrapped))
                {
                    array = wrapped;
                    return true;
                }
            }
        }
        array = ValueArray.Empty;
        return false;
    }

    /// <summary>The result an array node gives for a non-array input: not a failure, an object naming the problem.</summary>
    public static Value NotAnArray(Value input) => ValueObject.Of(
        ("error", "input is not an array"),
        ("input", input),
        ("original_type", input.GoTypeName));
}
