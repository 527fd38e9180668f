namespace CodeAssist.Bench;

/// <summary>
/// The README's lexical baseline: 20-line windows (stride 10) of every other .cs file of the repository, ranked by
/// Jaccard similarity of identifier sets with the last 10 lines before the cursor, packed into the budget at
/// 4 characters a token. It needs no server, so the product can be compared side by side.
/// </summary>
public sealed class JaccardBaseline
{
    private const int WindowLines = 20;
    private const int Stride = 10;
    private const int QueryLines = 10;

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

    private readonly IReadOnlyList<Window> _windows;

    private sealed record Window(string Path, string RelativePath, int StartLine, int EndLine, int EndCharacter, string Text, HashSet<string> Tokens);

    private JaccardBaseline(IReadOnlyList<Window> windows) => _windows = windows;

    /// <summary>Cuts every .cs file of the repository (but <c>bin</c>, <c>obj</c>, <c>node_modules</c> and hidden folders) into windows.</summary>
    public static JaccardBaseline Build(string repository)
    {
        repository = Path.GetFullPath(repository);
        var windows = new List<Window>();
        foreach (string path in SourceFiles(repository))
        {
            string text = TaskDocument.Decode(File.ReadAllBytes(path));
            var lines = TaskDocument.SplitLines(text);
            string relative = Path.GetRelativePath(repository, path).Replace('\\', '/');
            for (int start = 0; start < lines.Count; start += Stride)
            {
                int end = Math.Min(lines.Count - 1, start + WindowLines - 1);
                string windowText = string.Join("\n", Enumerable.Range(start, end - start + 1).Select(l => text.Substring(lines[l].Start, lines[l].Length)));
                windows.Add(new Window(path, relative, start, end, lines[end].Length, windowText, Tokens(windowText)));
                if (end == lines.Count - 1) break;
            }
        }
        return new JaccardBaseline(windows);
    }

    private static IEnumerable<string> SourceFiles(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory, "*.cs").Order(StringComparer.Ordinal)) yield return file;
        foreach (string child in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(child);
            if (name.StartsWith('.') || name is "bin" or "obj" or "node_modules") continue;
            foreach (string file in SourceFiles(child)) yield return file;
        }
    }

    /// <summary>The baseline's answer for the task's cursor in the truncated document.</summary>
    public ContextAnswer Answer(BenchTask task, string documentText, int budgetTokens)
    {
        var lines = TaskDocument.SplitLines(documentText);
        int first = Math.Max(0, task.Line - QueryLines + 1);
        var queryText = string.Join("\n", Enumerable.Range(first, task.Line - first + 1)
            .Select(l => documentText.Substring(lines[l].Start, l == task.Line ? Math.Min(task.Character, lines[l].Length) : lines[l].Length)));
        var query = Tokens(queryText);
        string document = task.File;

        var ranked = _windows
            .Where(w => w.RelativePath != document)
            .Select(w => (Window: w, Score: Jaccard(query, w.Tokens)))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Window.RelativePath, StringComparer.Ordinal).ThenBy(s => s.Window.StartLine);
        int left = budgetTokens * 4;
        var items = new List<AnswerItem>();
        var taken = new Dictionary<string, List<Window>>(StringComparer.Ordinal);
        foreach (var (window, _) in ranked)
        {
            if (window.Text.Length > left) continue;
            var fromFile = taken.GetValueOrDefault(window.Path);
            if (fromFile is not null && fromFile.Any(t => t.StartLine <= window.EndLine && window.StartLine <= t.EndLine)) continue;
            items.Add(new AnswerItem(window.Path, new AnswerRange(window.StartLine, 0, window.EndLine, window.EndCharacter), "lexical", window.Text));
            left -= window.Text.Length;
            if (fromFile is null) taken[window.Path] = fromFile = [];
            fromFile.Add(window);
        }
        return new ContextAnswer(items, (budgetTokens * 4 - left + 3) / 4);
    }

    private static double Jaccard(HashSet<string> query, HashSet<string> window)
    {
        if (query.Count == 0 || window.Count == 0) return 0;
        int intersection = 0;
        foreach (var token in query) if (window.Contains(token)) intersection++;
        return (double)intersection / (query.Count + window.Count - intersection);
    }

    /// <summary>Identifiers <c>[A-Za-z_][A-Za-z0-9_]*</c> less C#'s reserved keywords.</summary>
    public static HashSet<string> Tokens(string text)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsAsciiLetter(text[i]) || text[i] == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                string token = text[start..i];
                if (!s_keywords.Contains(token)) tokens.Add(token);
            }
            else if (char.IsAsciiDigit(text[i]))
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
            }
            else i++;
        }
        return tokens;
    }
}
