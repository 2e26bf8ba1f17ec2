namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// What one evaluation sees: the input (<c>input</c>), the names the calling node binds (<c>item</c>,
/// <c>index</c>, <c>items</c>, <c>accumulator</c>, any extra bindings) and the <see cref="ExpressionEnvironment"/>
/// (variables, node results, context, limits). A struct: building one per array element allocates nothing.
/// Every public member is read-only; only the engine's element loops (<see cref="ElementLoop"/>) move a scope on to
/// the next element in place, instead of building a new one per element.
/// </summary>
public struct ExpressionScope
{
    private Value _item;
    private Value _index;
    private readonly Value _items;
    private Value _accumulator;
    private readonly IReadOnlyDictionary<string, Value>? _bindings;
    private readonly ExpressionEnvironment? _environment;
    private readonly Bound _bound;

    /// <summary>A scope with <paramref name="input"/> as <c>input</c> (and <c>item</c>, unless bound otherwise).</summary>
    public ExpressionScope(Value input, ExpressionEnvironment? environment = null)
    {
        _input = input;
        _environment = environment;
    }

    private ExpressionScope(in ExpressionScope from, Value input, Bound bound, Value item, Value index, Value items, Value accumulator,
        IReadOnlyDictionary<string, Value>? bindings)
    {
        _input = input;
        _environment = from._environment;
        _bound = bound;
        _item = item;
        _index = index;
        _items = items;
        _accumulator = accumulator;
        _bindings = bindings;
    }

    /// <summary>A scope for one array element: <c>input</c> and <c>item</c> are the element, <c>index</c> its position.</summary>
    public static ExpressionScope ForElement(Value element, Value index, ExpressionEnvironment? environment = null) =>
        new(environment, element, Bound.Item | Bound.Index, element, index);

    // Built directly rather than as new(element).WithItem(...): nodes build one per array element.
    private ExpressionScope(ExpressionEnvironment? environment, Value input, Bound bound, Value item, Value index)
    {
        _input = input;
        _environment = environment;
        _bound = bound;
        _item = item;
        _index = index;
    }

    /// <summary>The value <c>input</c> names (node input or array element).</summary>
    public readonly Value Input => _input;

    private Value _input;

    /// <summary>Variables, node results, context values, limits.</summary>
    public readonly ExpressionEnvironment Environment => _environment ?? ExpressionEnvironment.Empty;

    /// <summary>Limits of the run (from the environment).</summary>
    public readonly ExecutionLimits Limits => Environment.Limits;

    /// <summary>Binds <c>item</c> and <c>index</c>.</summary>
    public readonly ExpressionScope WithItem(Value item, Value index) =>
        new(this, Input, _bound | Bound.Item | Bound.Index, item, index, _items, _accumulator, _bindings);

    /// <summary>Binds <c>items</c> (the whole array being walked).</summary>
    public readonly ExpressionScope WithItems(Value items) =>
        new(this, Input, _bound | Bound.Items, _item, _index, items, _accumulator, _bindings);

    /// <summary>Binds <c>accumulator</c>.</summary>
    public readonly ExpressionScope WithAccumulator(Value accumulator) =>
        new(this, Input, _bound | Bound.Accumulator, _item, _index, _items, accumulator, _bindings);

    /// <summary>Binds extra names (e.g. a loop's <c>iteration</c>); they shadow workflow variables and input fields.</summary>
    public readonly ExpressionScope WithBindings(IReadOnlyDictionary<string, Value> bindings) =>
        new(this, Input, _bound, _item, _index, _items, _accumulator, bindings);

    /// <summary>The same bindings with another input, and <c>item</c> = that input (used by <c>map()</c>).</summary>
    internal readonly ExpressionScope WithElement(Value element) =>
        new(this, element, _bound | Bound.Item, element, _index, _items, _accumulator, _bindings);

    /// <summary>Moves an element scope (<see cref="ForElement"/>) on to another element: <c>input</c>, <c>item</c> and <c>index</c>.</summary>
    internal void MoveToElement(Value element, Value index)
    {
        _input = element;
        _item = element;
        _index = index;
    }

    /// <summary>Sets <c>accumulator</c> of a scope that binds it (<see cref="WithAccumulator"/>).</summary>
    internal void SetAccumulator(Value accumulator) => _accumulator = accumulator;

    /// <summary><c>item</c>: the bound element, else a loop scope's <c>item</c>, else the input.</summary>
    internal readonly Value Item
    {
        get
        {
            if ((_bound & Bound.Item) != 0) return _item;
            if (_environment is not null && _environment.TryGetScopeVariable("item", out var scoped)) return scoped;
            return Input;
        }
    }

    /// <summary>A name the calling node or an enclosing scope bound (not workflow variables).</summary>
    internal readonly bool TryGetBound(string name, out Value value)
    {
        switch (name)
        {
            case "item" when (_bound & Bound.Item) != 0: value = _item; return true;
            case "index" when (_bound & Bound.Index) != 0: value = _index; return true;
            case "items" when (_bound & Bound.Items) != 0: value = _items; return true;
            case "accumulator" when (_bound & Bound.Accumulator) != 0: value = _accumulator; return true;
        }
        if (_bindings is not null && _bindings.TryGetValue(name, out value)) return true;
        if (_environment is not null && _environment.TryGetScopeVariable(name, out value)) return true;
        value = default;
        return false;
    }

    internal readonly bool TryGetBound(BoundName name, out Value value)
    {
        switch (name)
        {
            case BoundName.Index when (_bound & Bound.Index) != 0: value = _index; return true;
            case BoundName.Items when (_bound & Bound.Items) != 0: value = _items; return true;
            case BoundName.Accumulator when (_bound & Bound.Accumulator) != 0: value = _accumulator; return true;
        }
        var text = name switch { BoundName.Index => "index", BoundName.Items => "items", _ => "accumulator" };
        if (_bindings is not null && _bindings.TryGetValue(text, out value)) return true;
        if (_environment is not null && _environment.TryGetScopeVariable(text, out value)) return true;
        value = default;
        return false;
    }

    [Flags]
    private enum Bound : byte
    {
        None = 0,
        Item = 1,
        Index = 2,
        Items = 4,
        Accumulator = 8,
    }
}
