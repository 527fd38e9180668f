namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// A lexical walk over code that keeps what the stop rules need: the brackets still open, and whether the walk is inside a
/// string, a character literal or a line comment, so brackets and semicolons there are not taken for code. Language-agnostic
/// on purpose: it works on any C-like or indentation-based text, and a wrong guess only costs a shorter suggestion.
/// </summary>
internal sealed class CodeScanner
{
    private readonly List<char> _open = [];
    private char _quote;
    private bool _escaped;
    private bool _lineComment;
    private char _previous;

    /// <summary>Brackets opened and not closed, innermost last.</summary>
    public IReadOnlyList<char> Open => _open;

    public bool InCode => _quote == '\0' && !_lineComment;

    /// <summary>Whether <paramref name="closer"/> read now would close the innermost open bracket.</summary>
    public bool Closes(char closer) => _open.Count > 0 && _open[^1] == Opener(closer);

    public static char Opener(char closer) => closer switch { ')' => '(', ']' => '[', '}' => '{', _ => '\0' };

    public static bool IsCloser(char c) => c is ')' or ']' or '}';

    public static bool IsOpener(char c) => c is '(' or '[' or '{';

    /// <summary>A scanner that has read <paramref name="text"/>.</summary>
    public static CodeScanner After(string text)
    {
        var scanner = new CodeScanner();
        foreach (var c in text)
        {
            scanner.Read(c);
        }
        return scanner;
    }

    /// <summary>Reads one character. A closer that does not match the innermost open bracket is ignored: callers that care
    /// check <see cref="Closes"/> first.</summary>
    public void Read(char c)
    {
        var previous = _previous;
        _previous = c;
        if (c == '\n')
        {
            _lineComment = false;
            _escaped = false;
            if (_quote is '"' or '\'')
            {
                _quote = '\0'; // an unterminated literal ends with its line
            }
            return;
        }
        if (_lineComment)
        {
            return;
        }
        if (_quote != '\0')
        {
            if (_escaped)
            {
                _escaped = false;
            }
            else if (c == '\\')
            {
                _escaped = true;
            }
            else if (c == _quote)
            {
                _quote = '\0';
            }
            return;
        }
        if (c is '"' or '\'' or '`')
        {
            _quote = c;
        }
        else if (c == '/' && previous == '/' || c == '#' && previous is '\0' or ' ' or '\t' or '\n')
        {
            _lineComment = true;
        }
        else if (IsOpener(c))
        {
            _open.Add(c);
        }
        else if (IsCloser(c) && _open.Count > 0 && _open[^1] == Opener(c))
        {
            _open.RemoveAt(_open.Count - 1);
        }
    }
}
