using System.Diagnostics.CodeAnalysis;
using Thaiyyal.Engine.Expressions.Compiled;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// An expression parsed once, ready to evaluate any number of times, concurrently too. Obtain one from
/// <see cref="ExpressionEngine.Parse(string)"/> (throws on a syntax error) or <see cref="ExpressionEngine.ParseOrError(string)"/>
/// (keeps the error and throws it on every evaluation, for nodes that report it per run or per element).
/// </summary>
public sealed class ParsedExpression
{
    private readonly AstNode? _root;
    private readonly CompiledExpression? _compiled;

    internal ParsedExpression(string text, AstNode root)
    {
        Text = text;
        _root = root;
        ReadsSharedState = SharedStateAnalysis.ReadsSharedState(root);
        // Compiled once here: the parse cache keeps this object, so a cached text is parsed and compiled once.
        _compiled = ExpressionCompiler.Compile(root);
    }

    internal ParsedExpression(string text, ExpressionException error)
    {
        Text = text;
        ParseError = error;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The syntax error, when the text did not parse (only from <see cref="ExpressionEngine.ParseOrError(string)"/>).</summary>
    public ExpressionException? ParseError { get; }

    /// <summary>
    /// True when the expression may read run state that other nodes change: <c>variables.x</c>, <c>context.x</c>,
    /// <c>node.id</c>, or a bare name that may resolve to a workflow variable. Nodes whose expressions read none of
    /// these depend only on their inputs and may run concurrently (<c>IsIndependent</c>).
    /// </summary>
    public bool ReadsSharedState { get; }

    // A fresh exception per throw: one instance thrown on several threads at once would share its stack trace.
    internal AstNode Root => _root ?? throw RethrownParseError();

    private CompiledExpression Compiled => _compiled ?? throw RethrownParseError();

    private ExpressionException RethrownParseError() => new(Text, ParseError!.Column - 1, ParseError.Problem);

    /// <summary>
    /// The expression's value. A missing field, variable or node result is an error here (there is no value to give);
    /// comparisons with a missing side are simply false.
    /// </summary>
    /// <exception cref="ExpressionException">Syntax, type or missing-value error.</exception>
    public Value EvaluateValue(in ExpressionScope scope)
    {
        var evaluator = new Evaluator(Text, scope);
        return Compiled.Value(ref evaluator, out var value) ? value : throw evaluator.MissingError();
    }

    /// <summary><see cref="EvaluateValue"/> without throwing <see cref="ExpressionException"/> (limits and cancellation still throw).</summary>
    public bool TryEvaluateValue(in ExpressionScope scope, out Value value, [NotNullWhen(false)] out ExpressionException? error) =>
        TryEvaluateValue(scope, interpret: false, out value, out error);

    /// <summary>
    /// The expression as a condition: true only when it yields the boolean <c>true</c>. A missing field or variable
    /// makes it false (<c>item.age &gt;= 18</c> on an element without <c>age</c>); real errors throw.
    /// </summary>
    /// <exception cref="ExpressionException">Syntax or type error.</exception>
    public bool EvaluateBoolean(in ExpressionScope scope)
    {
        var evaluator = new Evaluator(Text, scope);
        return Compiled.Condition(ref evaluator);
    }

    /// <summary><see cref="EvaluateBoolean"/> without throwing <see cref="ExpressionException"/>.</summary>
    public bool TryEvaluateBoolean(in ExpressionScope scope, out bool result, [NotNullWhen(false)] out ExpressionException? error) =>
        TryEvaluateBoolean(scope, interpret: false, out result, out error);

    /// <summary><see cref="EvaluateValue"/> by walking the AST: the reference the compiled form is tested against.</summary>
    internal Value InterpretValue(in ExpressionScope scope)
    {
        var evaluator = new Evaluator(Text, scope);
        return evaluator.TryEvaluate(Root, out var value) ? value : throw evaluator.MissingError();
    }

    /// <summary><see cref="EvaluateBoolean"/> by walking the AST.</summary>
    internal bool InterpretBoolean(in ExpressionScope scope)
    {
        var evaluator = new Evaluator(Text, scope);
        return evaluator.IsTrue(Root);
    }

    /// <summary><see cref="TryEvaluateValue(in ExpressionScope, out Value, out ExpressionException?)"/>, compiled or interpreted.</summary>
    internal bool TryEvaluateValue(in ExpressionScope scope, bool interpret, out Value value, [NotNullWhen(false)] out ExpressionException? error)
    {
        var evaluator = new Evaluator(Text, scope);
        return TryEvaluateValue(ref evaluator, out value, out error, interpret);
    }

    /// <summary><see cref="TryEvaluateBoolean(in ExpressionScope, out bool, out ExpressionException?)"/>, compiled or interpreted.</summary>
    internal bool TryEvaluateBoolean(in ExpressionScope scope, bool interpret, out bool result, [NotNullWhen(false)] out ExpressionException? error)
    {
        var evaluator = new Evaluator(Text, scope);
        return TryEvaluateBoolean(ref evaluator, out result, out error, interpret);
    }

    /// <summary>
    /// The value of the expression in <paramref name="evaluator"/>'s scope, as <see cref="TryEvaluateValue(in ExpressionScope, out Value, out ExpressionException?)"/>;
    /// an evaluator may serve one evaluation after another (<see cref="ElementLoop"/>).
    /// </summary>
    internal bool TryEvaluateValue(ref Evaluator evaluator, out Value value, [NotNullWhen(false)] out ExpressionException? error, bool interpret = false)
    {
        if (ParseError is not null)
        {
            value = default;
            error = ParseError;
            return false;
        }
        try
        {
            evaluator.ForgetMissing();
            if (interpret ? evaluator.TryEvaluate(_root!, out value) : _compiled!.Value(ref evaluator, out value))
            {
                error = null;
                return true;
            }
            error = evaluator.MissingError();
            return false;
        }
        catch (ExpressionException e)
        {
            value = default;
            error = e;
            return false;
        }
    }

    /// <summary>The expression as a condition in <paramref name="evaluator"/>'s scope, as <see cref="TryEvaluateBoolean(in ExpressionScope, out bool, out ExpressionException?)"/>.</summary>
    internal bool TryEvaluateBoolean(ref Evaluator evaluator, out bool result, [NotNullWhen(false)] out ExpressionException? error, bool interpret = false)
    {
        if (ParseError is not null)
        {
            result = false;
            error = ParseError;
            return false;
        }
        try
        {
            evaluator.ForgetMissing();
            result = interpret ? evaluator.IsTrue(_root!) : _compiled!.Condition(ref evaluator);
            error = null;
            return true;
        }
        catch (ExpressionException e)
        {
            result = false;
            error = e;
            return false;
        }
    }

    /// <summary>The canonical text of the parsed expression (fully parenthesised where precedence needs it).</summary>
    public override string ToString() => _root is null ? Text : AstPrinter.Print(_root);
}
