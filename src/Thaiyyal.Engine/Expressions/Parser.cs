using Thaiyyal.Engine.Expressions.Functions;

namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// Recursive descent over the grammar in docs/expressions.md, lowest precedence first:
/// ternary, <c>||</c>, <c>&amp;&amp;</c>, <c>!</c>, comparison, <c>+ -</c>, <c>* / %</c>, unary <c>- +</c>, postfix
/// (<c>.name</c>, <c>.method()</c>, <c>[i]</c>), primary. Same-precedence chains are collected in loops into flat
/// nodes, and every construct that nests (parentheses, brackets, calls, unary and <c>!</c> prefixes, ternary
/// branches) counts against <see cref="ExpressionLimits.MaxDepth"/>, so hostile text cannot overflow the stack.
/// </summary>
internal sealed class Parser
{
    private readonly Lexer _lexer;
    private readonly string _text;
    private readonly int _maxDepth;
    private Token _current;
    private int _depth;

    private Parser(string text, ExpressionLimits limits)
    {
        _text = text;
        _lexer = new Lexer(text);
        _maxDepth = limits.MaxDepth;
        _current = _lexer.Next();
    }

    public static AstNode Parse(string text, ExpressionLimits limits)
    {
        if (limits.MaxLength > 0 && text.Length > limits.MaxLength)
            throw new ExpressionException(text, limits.MaxLength, $"expression too long: {text.Length} characters (limit: {limits.MaxLength})");
        var parser = new Parser(text, limits);
        if (parser._current.Kind == TokenKind.End) throw new ExpressionException(text, 0, "empty expression");
        var root = parser.ParseExpression();
        if (parser._current.Kind != TokenKind.End)
        {
            var problem = parser._current.Kind == TokenKind.RightParen ? "unmatched ')'" : $"unexpected {Describe(parser._current)}";
            throw parser.Error(parser._current.Start, problem);
        }
        return root;
    }

    private ExpressionException Error(int offset, string problem) => new(_text, offset, problem);

    private Token Advance()
    {
        var token = _current;
        _current = _lexer.Next();
        return token;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (_current.Kind != kind)
        {
            var found = _current.Kind == TokenKind.End ? "end of expression" : Describe(_current);
            throw Error(_current.Start, $"expected {what}, found {found}");
        }
        return Advance();
    }

    private void Enter(int offset)
    {
        if (++_depth > _maxDepth) throw Error(offset, $"expression nested too deeply (limit: {_maxDepth} levels)");
    }

    private void Leave() => _depth--;

    private static int EndOf(AstNode node) => node.Start + node.Length;

    private AstNode ParseExpression() => ParseTernary();

    private AstNode ParseTernary()
    {
        var condition = ParseOr();
        if (_current.Kind != TokenKind.Question) return condition;
        var question = Advance();
        Enter(question.Start);
        var then = ParseTernary();
        Expect(TokenKind.Colon, "':' of the conditional (a ? b : c)");
        var otherwise = ParseTernary();
        Leave();
        return new TernaryNode(condition, then, otherwise, condition.Start, EndOf(otherwise) - condition.Start);
    }

    private AstNode ParseOr()
    {
        var first = ParseAnd();
        if (_current.Kind != TokenKind.OrOr) return first;
        var operands = new List<AstNode> { first };
        while (_current.Kind == TokenKind.OrOr)
        {
            Advance();
            operands.Add(ParseAnd());
        }
        return new LogicalNode(false, [.. operands], first.Start, EndOf(operands[^1]) - first.Start);
    }

    private AstNode ParseAnd()
    {
        var first = ParseNot();
        if (_current.Kind != TokenKind.AndAnd) return first;
        var operands = new List<AstNode> { first };
        while (_current.Kind == TokenKind.AndAnd)
        {
            Advance();
            operands.Add(ParseNot());
        }
        return new LogicalNode(true, [.. operands], first.Start, EndOf(operands[^1]) - first.Start);
    }

    // '!' binds looser than comparisons, as in the original: "!item.a == 5" is "!(item.a == 5)".
    private AstNode ParseNot()
    {
        if (_current.Kind != TokenKind.Bang) return ParseComparison();
        var bang = Advance();
        Enter(bang.Start);
        var operand = ParseNot();
        Leave();
        return new NotNode(operand, bang.Start, EndOf(operand) - bang.Start);
    }

    private AstNode ParseComparison()
    {
        if (TryComparisonOperator(out var shorthand))
        {
            // ">= 18": compares the input.
            var op = Advance();
            var operand = ParseAdditive();
            RejectChainedComparison();
            return new ComparisonNode(shorthand, null, operand, op.Start, EndOf(operand) - op.Start);
        }
        var left = ParseAdditive();
        if (!TryComparisonOperator(out var comparison)) return left;
        Advance();
        var right = ParseAdditive();
        RejectChainedComparison();
        return new ComparisonNode(comparison, left, right, left.Start, EndOf(right) - left.Start);
    }

    private void RejectChainedComparison()
    {
        if (TryComparisonOperator(out _))
            throw Error(_current.Start, "comparisons cannot be chained (write a < b && b < c)");
    }

    private bool TryComparisonOperator(out ComparisonOperator op)
    {
        op = _current.Kind switch
        {
            TokenKind.EqualEqual => ComparisonOperator.Equal,
            TokenKind.NotEqual => ComparisonOperator.NotEqual,
            TokenKind.Less => ComparisonOperator.Less,
            TokenKind.LessEqual => ComparisonOperator.LessOrEqual,
            TokenKind.Greater => ComparisonOperator.Greater,
            TokenKind.GreaterEqual => ComparisonOperator.GreaterOrEqual,
            _ => (ComparisonOperator)255,
        };
        return (byte)op != 255;
    }

    private AstNode ParseAdditive()
    {
        var first = ParseMultiplicative();
        if (_current.Kind is not (TokenKind.Plus or TokenKind.Minus)) return first;
        var operators = new List<ArithmeticOperator>();
        var rest = new List<AstNode>();
        while (_current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            operators.Add(Advance().Kind == TokenKind.Plus ? ArithmeticOperator.Add : ArithmeticOperator.Subtract);
            rest.Add(ParseMultiplicative());
        }
        return new ArithmeticNode(first, [.. operators], [.. rest], first.Start, EndOf(rest[^1]) - first.Start);
    }

    private AstNode ParseMultiplicative()
    {
        var first = ParseUnary();
        if (_current.Kind is not (TokenKind.Star or TokenKind.Slash or TokenKind.Percent)) return first;
        var operators = new List<ArithmeticOperator>();
        var rest = new List<AstNode>();
        while (_current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            operators.Add(Advance().Kind switch
            {
                TokenKind.Star => ArithmeticOperator.Multiply,
                TokenKind.Slash => ArithmeticOperator.Divide,
                _ => ArithmeticOperator.Modulo,
            });
            rest.Add(ParseUnary());
        }
        return new ArithmeticNode(first, [.. operators], [.. rest], first.Start, EndOf(rest[^1]) - first.Start);
    }

    private AstNode ParseUnary()
    {
        if (_current.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePostfix();
        var sign = Advance();
        Enter(sign.Start);
        var operand = ParseUnary();
        Leave();
        var op = sign.Kind == TokenKind.Minus ? UnaryOperator.Negate : UnaryOperator.Plus;
        return new UnaryNode(op, operand, sign.Start, EndOf(operand) - sign.Start);
    }

    private AstNode ParsePostfix()
    {
        var node = ParsePrimary();
        // Each segment of a path wraps the node before it, so a long path is as deep as a long nesting.
        var segments = 0;
        while (true)
        {
            if (_current.Kind is TokenKind.Dot or TokenKind.LeftBracket)
            {
                Enter(_current.Start);
                segments++;
            }
            if (_current.Kind == TokenKind.Dot)
            {
                Advance();
                var name = Expect(TokenKind.Identifier, "a field or method name after '.'");
                if (_current.Kind == TokenKind.LeftParen)
                {
                    var method = Methods.Find(name.Text!) ?? throw Error(name.Start, $"unknown method: {name.Text}");
                    var arguments = ParseArguments(out var end);
                    var arityError = method.ArityError(arguments.Length);
                    if (arityError is not null) throw Error(name.Start, arityError);
                    node = new MethodNode(node, method, arguments, name.Start, node.Start, end - node.Start);
                }
                else
                {
                    node = new MemberNode(node, name.Text!, name.Start, node.Start, name.End - node.Start);
                }
            }
            else if (_current.Kind == TokenKind.LeftBracket)
            {
                var open = Advance();
                Enter(open.Start);
                var index = ParseExpression();
                Leave();
                var close = Expect(TokenKind.RightBracket, "']'");
                node = new IndexNode(node, index, node.Start, close.End - node.Start);
            }
            else
            {
                _depth -= segments;
                return node;
            }
        }
    }

    private AstNode[] ParseArguments(out int end)
    {
        var open = Expect(TokenKind.LeftParen, "'('");
        Enter(open.Start);
        var arguments = new List<AstNode>();
        if (_current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseExpression());
            while (_current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseExpression());
            }
        }
        if (_current.Kind != TokenKind.RightParen)
        {
            if (_current.Kind == TokenKind.End) throw Error(open.Start, "unmatched '(' in function call");
            throw Error(_current.Start, $"expected ',' or ')', found {Describe(_current)}");
        }
        end = Advance().End;
        Leave();
        return [.. arguments];
    }

    private AstNode ParsePrimary()
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(Value.From(token.Number), token.Start, token.Length);
            case TokenKind.String:
                Advance();
                return new LiteralNode(Value.From(token.Text!), token.Start, token.Length);
            case TokenKind.LeftParen:
                {
                    Advance();
                    Enter(token.Start);
                    var inner = ParseExpression();
                    Leave();
                    if (_current.Kind != TokenKind.RightParen)
                    {
                        if (_current.Kind == TokenKind.End) throw Error(token.Start, "unmatched '('");
                        throw Error(_current.Start, $"expected ')', found {Describe(_current)}");
                    }
                    Advance();
                    return inner;
                }
            case TokenKind.Identifier:
                return ParseIdentifier();
            case TokenKind.End:
                throw Error(token.Start, "unexpected end of expression");
            default:
                throw Error(token.Start, $"unexpected {Describe(token)}");
        }
    }

    private AstNode ParseIdentifier()
    {
        var token = Advance();
        var name = token.Text!;
        if (_current.Kind == TokenKind.LeftParen)
        {
            var function = FunctionTable.Find(name) ?? throw Error(token.Start, $"unknown function: {name}");
            var arguments = ParseArguments(out var end);
            var arityError = function.ArityError(arguments.Length);
            if (arityError is not null) throw Error(token.Start, arityError);
            return new CallNode(function, arguments, token.Start, end - token.Start);
        }
        if (_current.Kind == TokenKind.Dot && name is "node" or "variables" or "context")
        {
            // The name after the namespace is raw text (node ids like "http-1" or "2"): the lexer stands just
            // after the '.', so read it directly instead of as a token.
            var segment = _lexer.ScanSegment();
            _current = _lexer.Next();
            var length = segment.End - token.Start;
            return name switch
            {
                "node" => new NodeResultNode(segment.Text!, token.Start, length),
                "variables" => new VariableNode(segment.Text!, token.Start, length),
                _ => new ContextNode(segment.Text!, token.Start, length),
            };
        }
        return name switch
        {
            "true" => new LiteralNode(Value.True, token.Start, token.Length),
            "false" => new LiteralNode(Value.False, token.Start, token.Length),
            "null" => new LiteralNode(Value.Null, token.Start, token.Length),
            "input" => new InputNode(token.Start, token.Length),
            "item" => new ItemNode(token.Start, token.Length),
            "index" => new BoundNameNode(BoundName.Index, token.Start, token.Length),
            "items" => new BoundNameNode(BoundName.Items, token.Start, token.Length),
            "accumulator" => new BoundNameNode(BoundName.Accumulator, token.Start, token.Length),
            _ when IsSpecialNumber(name, out var number) => new LiteralNode(Value.From(number), token.Start, token.Length),
            _ => new NameNode(name, token.Start, token.Length),
        };
    }

    private static bool IsSpecialNumber(string name, out double number)
    {
        number = 0;
        return name.Length is 3 or 8 && Compatibility.GoFloatParser.TryParse(name, out number);
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "end of expression",
        TokenKind.Number => "number",
        TokenKind.String => "string",
        TokenKind.Identifier => $"name '{token.Text}'",
        _ => $"'{TokenText(token.Kind)}'",
    };

    private static string TokenText(TokenKind kind) => kind switch
    {
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Percent => "%",
        TokenKind.LeftParen => "(",
        TokenKind.RightParen => ")",
        TokenKind.LeftBracket => "[",
        TokenKind.RightBracket => "]",
        TokenKind.Comma => ",",
        TokenKind.Dot => ".",
        TokenKind.Question => "?",
        TokenKind.Colon => ":",
        TokenKind.EqualEqual => "==",
        TokenKind.NotEqual => "!=",
        TokenKind.Less => "<",
        TokenKind.LessEqual => "<=",
        TokenKind.Greater => ">",
        TokenKind.GreaterEqual => ">=",
        TokenKind.AndAnd => "&&",
        TokenKind.OrOr => "||",
        TokenKind.Bang => "!",
        _ => kind.ToString(),
    };
}
