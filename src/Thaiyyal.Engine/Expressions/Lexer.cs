using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Expressions;

internal enum TokenKind : byte
{
    End,
    Number,
    String,
    Identifier,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Question,
    Colon,
    EqualEqual,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    AndAnd,
    OrOr,
    Bang,
}

/// <summary>One token: its kind, where it is, and for literals the value (identifiers keep their text).</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, double Number = 0, string? Text = null)
{
    public int End => Start + Length;
}

/// <summary>
/// Turns expression text into tokens on demand. Strings are quoted with <c>'</c> or <c>"</c>; a doubled quote
/// inside stands for one quote character (there are no backslash escapes, as in the original).
/// </summary>
internal sealed class Lexer(string text)
{
    private readonly string _text = text;
    private int _position;
    private TokenKind _previous = TokenKind.End;

    public string Text => _text;

    public Token Next()
    {
        SkipWhitespace();
        var token = Scan();
        _previous = token.Kind;
        return token;
    }

    /// <summary>
    /// Reads a name written after <c>node.</c>, <c>variables.</c> or <c>context.</c>: node ids and variable names
    /// may contain <c>-</c> and start with a digit (<c>node.http-1.value</c>), so they are read as raw text up to
    /// the next <c>.</c>, <c>[</c>, space or operator other than <c>-</c>.
    /// </summary>
    public Token ScanSegment()
    {
        var start = _position;
        while (_position < _text.Length && IsSegmentChar(_text[_position])) _position++;
        if (_position == start) throw Error(start, "expected a name after '.'");
        var token = new Token(TokenKind.Identifier, start, _position - start, Text: _text[start.._position]);
        _previous = TokenKind.Identifier;
        return token;
    }

    private static bool IsSegmentChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '$';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position])) _position++;
    }

    private Token Scan()
    {
        if (_position >= _text.Length) return new Token(TokenKind.End, _text.Length, 0);
        var start = _position;
        var c = _text[_position];
        var next = _position + 1 < _text.Length ? _text[_position + 1] : '\0';
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next) && !EndsOperand(_previous))) return ScanNumber();
        if (IsIdentifierStart(c))
        {
            while (_position < _text.Length && IsIdentifierPart(_text[_position])) _position++;
            return new Token(TokenKind.Identifier, start, _position - start, Text: _text[start.._position]);
        }
        if (c is '\'' or '"') return ScanString(c);
        _position++;
        switch (c)
        {
            case '+': return Simple(TokenKind.Plus, start);
            case '-': return Simple(TokenKind.Minus, start);
            case '*': return Simple(TokenKind.Star, start);
            case '/': return Simple(TokenKind.Slash, start);
            case '%': return Simple(TokenKind.Percent, start);
            case '(': return Simple(TokenKind.LeftParen, start);
            case ')': return Simple(TokenKind.RightParen, start);
            case '[': return Simple(TokenKind.LeftBracket, start);
            case ']': return Simple(TokenKind.RightBracket, start);
            case ',': return Simple(TokenKind.Comma, start);
            case '.': return Simple(TokenKind.Dot, start);
            case '?': return Simple(TokenKind.Question, start);
            case ':': return Simple(TokenKind.Colon, start);
            case '=' when next == '=': _position++; return Simple(TokenKind.EqualEqual, start);
            case '!' when next == '=': _position++; return Simple(TokenKind.NotEqual, start);
            case '<' when next == '=': _position++; return Simple(TokenKind.LessEqual, start);
            case '>' when next == '=': _position++; return Simple(TokenKind.GreaterEqual, start);
            case '&' when next == '&': _position++; return Simple(TokenKind.AndAnd, start);
            case '|' when next == '|': _position++; return Simple(TokenKind.OrOr, start);
            case '<': return Simple(TokenKind.Less, start);
            case '>': return Simple(TokenKind.Greater, start);
            case '!': return Simple(TokenKind.Bang, start);
            case '=': throw Error(start, "unexpected character '=' (use '==' to compare)");
            case '&': throw Error(start, "unexpected character '&' (use '&&')");
            case '|': throw Error(start, "unexpected character '|' (use '||')");
            default: throw Error(start, $"unexpected character '{DescribeChar(c)}'");
        }
    }

    private Token Simple(TokenKind kind, int start) => new(kind, start, _position - start);

    private static bool EndsOperand(TokenKind kind) =>
        kind is TokenKind.Identifier or TokenKind.Number or TokenKind.String or TokenKind.RightParen or TokenKind.RightBracket;

    private Token ScanNumber()
    {
        var start = _position;
        if (_text[_position] == '0' && _position + 1 < _text.Length && (_text[_position + 1] is 'x' or 'X')) return ScanHexNumber();
        SkipDigits();
        if (_position < _text.Length && _text[_position] == '.' && _position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1]))
        {
            _position++;
            SkipDigits();
        }
        if (_position < _text.Length && _text[_position] is 'e' or 'E')
        {
            var save = _position;
            _position++;
            if (_position < _text.Length && _text[_position] is '+' or '-') _position++;
            if (_position < _text.Length && char.IsAsciiDigit(_text[_position])) SkipDigits();
            else _position = save; // "2e" is the number 2 followed by the identifier e
        }
        if (_position < _text.Length && IsIdentifierStart(_text[_position]))
            throw Error(start, $"invalid number '{_text[start..(_position + 1)]}'");
        var span = _text.AsSpan(start, _position - start);
        var number = double.Parse(span, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        return new Token(TokenKind.Number, start, _position - start, number);
    }

    private Token ScanHexNumber()
    {
        var start = _position;
        _position += 2;
        while (_position < _text.Length && (char.IsAsciiHexDigit(_text[_position]) || _text[_position] == '.')) _position++;
        if (_position < _text.Length && _text[_position] is 'p' or 'P')
        {
            _position++;
            if (_position < _text.Length && _text[_position] is '+' or '-') _position++;
            SkipDigits();
        }
        var literal = _text[start.._position];
        if (!Compatibility.GoFloatParser.TryParse(literal, out var number)) throw Error(start, $"invalid number '{literal}' (hexadecimal numbers need a 'p' exponent, e.g. 0x1p-2)");
        return new Token(TokenKind.Number, start, _position - start, number);
    }

    private void SkipDigits()
    {
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position])) _position++;
    }

    private Token ScanString(char quote)
    {
        var start = _position;
        _position++;
        StringBuilder? escaped = null;
        var segmentStart = _position;
        while (true)
        {
            var close = _text.IndexOf(quote, _position);
            if (close < 0) throw Error(start, "unterminated string");
            if (close + 1 < _text.Length && _text[close + 1] == quote)
            {
                // A doubled quote is one quote character.
                escaped ??= new StringBuilder();
                escaped.Append(_text, segmentStart, close + 1 - segmentStart);
                _position = close + 2;
                segmentStart = _position;
                continue;
            }
            string value;
            if (escaped is null)
            {
                value = _text[segmentStart..close];
            }
            else
            {
                escaped.Append(_text, segmentStart, close - segmentStart);
                value = escaped.ToString();
            }
            _position = close + 1;
            return new Token(TokenKind.String, start, _position - start, Text: value);
        }
    }

    private static string DescribeChar(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();

    public ExpressionException Error(int offset, string problem) => new(_text, offset, problem);
}
