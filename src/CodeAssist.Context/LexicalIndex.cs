using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One file cut into overlapping line windows (20 lines, stride 10) with an inverted index of their identifiers,
/// built once per text and never changed, so snapshots share it freely.
/// </summary>
internal sealed class LexicalWindows
{
    public const int WindowLines = 20;
    public const int Stride = 10;

    private readonly Dictionary<string, (int Window, int Count)[]> _postings;

    public IReadOnlyList<(int StartLine, int EndLine)> Windows { get; }
    public IReadOnlyList<int> WindowLengths { get; }

    private LexicalWindows(Dictionary<string, (int, int)[]> postings, IReadOnlyList<(int, int)> windows, IReadOnlyList<int> lengths)
    {
        _postings = postings;
        Windows = windows;
        WindowLengths = lengths;
    }

    public IEnumerable<KeyValuePair<string, (int Window, int Count)[]>> AllPostings => _postings;

    public static LexicalWindows Build(SourceText text)
    {
        int lineCount = text.Lines.Count;
        var lineTokens = new List<string>[lineCount];
        for (int line = 0; line < lineCount; line++)
        {
            lineTokens[line] = [];
            Identifiers.Split(text.ToString(text.Lines[line].Span), lineTokens[line]);
        }

        var windows = new List<(int, int)>();
        var lengths = new List<int>();
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int start = 0; start < lineCount; start += Stride)
        {
            int end = Math.Min(lineCount - 1, start + WindowLines - 1);
            counts.Clear();
            int length = 0;
            for (int line = start; line <= end; line++)
            {
                foreach (var token in lineTokens[line]) { counts[token] = counts.GetValueOrDefault(token) + 1; length++; }
            }
            int window = windows.Count;
            windows.Add((start, end));
            lengths.Add(length);
            foreach (var (token, count) in counts)
            {
                if (!postings.TryGetValue(token, out var list)) postings[token] = list = [];
                list.Add((window, count));
            }
            if (end == lineCount - 1) break;
        }
        return new LexicalWindows(postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), windows, lengths);
    }
}

/// <summary>Identifier tokens as the lexical ranking sees them: <c>[A-Za-z_][A-Za-z0-9_]*</c> minus C# reserved keywords.</summary>
internal static class Identifiers
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    public static void Split(string text, ICollection<string> tokens)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                string token = text[start..i];
                if (!s_keywords.Contains(token)) tokens.Add(token);
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
            }
            else i++;
        }
    }
}
