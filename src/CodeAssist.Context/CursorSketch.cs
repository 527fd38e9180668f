using System.Buffers;
using System.Runtime.CompilerServices;

namespace CodeAssist.Context;

/// <summary>
/// A C# text too large to parse while a query waits (generated bindings of several MB take seconds on two cores), cut
/// down to what a query at the cursor reads: the declarations enclosing the cursor with their braces, the items of
/// each enclosing namespace and type that come within <see cref="LinesBefore"/> / <see cref="LinesAfter"/> lines of
/// it (a member whole, with its doc comment and attributes, unless it is a long body the cursor is not in), every
/// using directive and file-scoped namespace, and the preprocessor lines that must still pair up. Everything else
/// becomes comments of the same length, line breaks kept, so offsets and lines are the text's and the parser skips
/// most of the file in a few trivia. Found by one scan of braces, semicolons, parentheses, comments, literals and
/// preprocessor lines, not by parsing; null when the braces do not balance (the caller parses the whole text).
/// </summary>
internal static class CursorSketch
{
    // The query's window (ContextQuery: the names of 20 lines before and 6 after, 60 and 20 for the document's names).
    public const int LinesBefore = 60;
    public const int LinesAfter = 20;

    /// <summary>A run of the text at one level: up to a <c>;</c> or a block's <c>}</c> outside parentheses.</summary>
    /// <param name="Scope">A using directive or a file-scoped namespace: kept wherever it is.</param>
    private readonly record struct Item(int Start, int End, bool Scope, Block? Body);

    // A member near the cursor but not holding it keeps a body up to this long: generated data (opentk's GL has a
    // static constructor of 4 MB of byte values) would cost the sketch's parse what the whole file's costs.
    private const int MaxNearBody = 64 * 1024;

    private sealed class Block(bool typeLike, int open)
    {
        /// <summary>Its header names a namespace or type: its items are cut to the cursor's window, not kept whole.</summary>
        public bool TypeLike { get; } = typeLike;

        /// <summary>Where its <c>{</c> is.</summary>
        public int Open { get; } = open;

        public List<Item> Items { get; } = [];
    }

    public static string? Create(string text, int position)
    {
        var (windowStart, windowEnd) = Window(text, position);
        var (root, directives) = Scan(text, windowStart, windowEnd);
        if (root is null) return null;
        var blanks = new List<(int Start, int End)>();
        Cut(root, windowStart, windowEnd, position, blanks);
        if (blanks.Count == 0) return text;
        var kept = DirectivesKept(text, directives, blanks);
        return string.Create(text.Length, (text, blanks, directives, kept), static (sketch, state) =>
        {
            var (text, blanks, directives, kept) = state;
            text.AsSpan().CopyTo(sketch);
            int directive = 0;
            foreach (var (start, end) in blanks)
            {
                int from = start;
                for (; directive < directives.Count && directives[directive].Start < end; directive++)
                {
                    if (!kept[directive] || directives[directive].End <= from) continue;
                    Blank(sketch, from, directives[directive].Start);
                    from = directives[directive].End;
                }
                Blank(sketch, from, end);
            }
        });
    }

    /// <summary>
    /// The preprocessor lines a blanked run keeps: those of an <c>#if</c> or <c>#region</c> group that does not lie
    /// wholly in that run (its other lines stay elsewhere and must still pair up), and <c>#define</c>, <c>#undef</c>,
    /// <c>#nullable</c>, which change what follows.
    /// </summary>
    private static bool[] DirectivesKept(string text, List<(int Start, int End)> directives, List<(int Start, int End)> blanks)
    {
        var kept = new bool[directives.Count];
        var run = new int[directives.Count];
        for (int d = 0, b = 0; d < directives.Count; d++)
        {
            while (b < blanks.Count && blanks[b].End <= directives[d].Start) b++;
            run[d] = b < blanks.Count && blanks[b].Start <= directives[d].Start ? b : -1;
        }
        var ifs = new Stack<List<int>>();
        var regions = new Stack<List<int>>();
        for (int d = 0; d < directives.Count; d++)
        {
            var (wordStart, wordEnd) = FirstWord(text, text.IndexOf('#', directives[d].Start) + 1, directives[d].End);
            switch (text.AsSpan(wordStart, wordEnd - wordStart))
            {
                case "if":
                    ifs.Push([d]);
                    break;
                case "elif" or "else" when ifs.Count > 0:
                    ifs.Peek().Add(d);
                    break;
                case "endif" when ifs.Count > 0:
                    KeepSplit([.. ifs.Pop(), d]);
                    break;
                case "region":
                    regions.Push([d]);
                    break;
                case "endregion" when regions.Count > 0:
                    KeepSplit([.. regions.Pop(), d]);
                    break;
                case "define" or "undef" or "nullable":
                    kept[d] = true;
                    break;
            }
        }
        // A group never closed keeps its lines: the parser reads them the same either way.
        foreach (int d in ifs.Concat(regions).SelectMany(group => group)) kept[d] = true;
        return kept;

        void KeepSplit(List<int> group)
        {
            if (group.Any(d => run[d] != run[group[0]])) group.ForEach(d => kept[d] = true);
        }
    }

    /// <summary>The start of the line <see cref="LinesBefore"/> above the cursor's and the end of the one <see cref="LinesAfter"/> below.</summary>
    private static (int Start, int End) Window(string text, int position)
    {
        int start = position;
        for (int lines = 0; start > 0; start--)
        {
            if (text[start - 1] == '\n' && ++lines > LinesBefore) break;
        }
        int end = position;
        for (int lines = 0; end < text.Length; end++)
        {
            if (text[end] == '\n' && ++lines > LinesAfter) break;
        }
        return (start, end);
    }

    private static void Cut(Block level, int windowStart, int windowEnd, int position, List<(int, int)> blanks)
    {
        foreach (var item in level.Items)
        {
            bool near = item.Start <= windowEnd && item.End >= windowStart;
            if (!near && !item.Scope) Add(blanks, item.Start, item.End);
            else if (item.Body is { TypeLike: true } body) Cut(body, windowStart, windowEnd, position, blanks);
            else if (item.Body is { } member && !(item.Start <= position && position < item.End) && item.End - 2 - member.Open > MaxNearBody)
                Add(blanks, member.Open + 1, item.End - 1); // its braces stay
        }
    }

    private static void Add(List<(int Start, int End)> blanks, int start, int end)
    {
        if (blanks.Count > 0 && blanks[^1].End == start) blanks[^1] = (blanks[^1].Start, end);
        else blanks.Add((start, end));
    }

    /// <summary>
    /// Spaces for every character but line breaks (all that Roslyn takes for one, so the sketch's lines are the text's),
    /// in a comment from the first two characters of a line to the last two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // megabytes once per query: tier-0 code would take several times as long
    private static void Blank(Span<char> text, int start, int end)
    {
        int open = -1, close = -1;
        var run = text[start..end];
        int offset = 0;
        while (offset < run.Length)
        {
            int length = run[offset..].IndexOfAny(LspPosition.RoslynBreaks);
            if (length < 0) length = run.Length - offset;
            run.Slice(offset, length).Fill(' ');
            if (length >= 2)
            {
                if (open < 0) open = start + offset;
                close = start + offset + length - 2;
            }
            offset += length + 1;
        }
        if (open < 0 || close <= open + 1) return;
        text[open] = '/';
        text[open + 1] = '*';
        text[close] = '*';
        text[close + 1] = '/';
    }

    private sealed class Frame(Block block, int itemStart)
    {
        public Block Block { get; } = block;
        public int ItemStart { get; set; } = itemStart;
        public int Parentheses { get; set; }
    }

    private static readonly SearchValues<char> s_structure = SearchValues.Create("{};()/\"'#");

    /// <summary>
    /// The file's items and blocks, and its preprocessor lines; no root when the braces do not balance. Only the items
    /// of type-like blocks are told apart: a member body is kept or blanked whole, so what is inside it only has to be
    /// skipped. Items wholly outside the window are blanked whole, so each run of them is one item, and a block opened
    /// below the window is skipped as a body is: a generated class of twenty thousand members costs a few items.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (Block? Root, List<(int Start, int End)> Directives) Scan(string text, int windowStart, int windowEnd)
    {
        var directives = new List<(int, int)>();
        var stack = new Stack<Frame>();
        stack.Push(new Frame(new Block(typeLike: true, open: -1), 0));
        int i = 0;
        while (i < text.Length)
        {
            int next = text.AsSpan(i).IndexOfAny(s_structure);
            if (next < 0) break;
            i += next;
            var frame = stack.Peek();
            switch (text[i])
            {
                case '/':
                    i = SkipComment(text, i);
                    break;
                case '"' or '\'':
                    i = SkipLiteral(text, LiteralStart(text, i));
                    break;
                case '#':
                    if (IsLineStart(text, i))
                    {
                        int end = LineEnd(text, i);
                        directives.Add((LineStartOf(text, i), end));
                        i = end;
                    }
                    else i++;
                    break;
                case '(':
                    frame.Parentheses++;
                    i++;
                    break;
                case ')':
                    if (frame.Parentheses > 0) frame.Parentheses--;
                    i++;
                    break;
                case ';':
                    if (frame.Parentheses == 0) EndItem(text, frame, i + 1, null, windowStart, windowEnd);
                    i++;
                    break;
                case '{':
                    bool typeLike = frame.Block.TypeLike && frame.Parentheses == 0 && frame.ItemStart <= windowEnd && DeclaresType(text, frame.ItemStart, i);
                    stack.Push(new Frame(new Block(typeLike, open: i), i + 1));
                    i++;
                    break;
                case '}':
                    if (stack.Count == 1) return (null, directives);
                    var closed = stack.Pop().Block;
                    var parent = stack.Peek();
                    if (parent.Parentheses == 0) EndItem(text, parent, i + 1, closed, windowStart, windowEnd);
                    i++;
                    break;
            }
        }
        return (stack.Count == 1 ? stack.Peek().Block : null, directives);
    }

    private static void EndItem(string text, Frame frame, int end, Block? body, int windowStart, int windowEnd)
    {
        if (frame.Block.TypeLike)
        {
            bool scope = false;
            if (body is null)
            {
                var (wordStart, wordEnd) = FirstWord(text, frame.ItemStart, end);
                var word = text.AsSpan(wordStart, wordEnd - wordStart);
                scope = word is "using" or "namespace"
                    || word is "global" && Is(FirstWord(text, wordEnd, end), "using")
                    || word is "extern" && Is(FirstWord(text, wordEnd, end), "alias");
            }
            // A block's items follow each other without gaps, so the last item ends where this one starts.
            var items = frame.Block.Items;
            bool far = Far(frame.ItemStart, end);
            if (far && !scope && items.Count > 0 && items[^1] is { Scope: false } last && Far(last.Start, last.End))
                items[^1] = last with { End = end, Body = null };
            else
                items.Add(new Item(frame.ItemStart, end, scope, far ? null : body));
        }
        frame.ItemStart = end;

        bool Is((int Start, int End) word, string expected) => text.AsSpan(word.Start, word.End - word.Start).SequenceEqual(expected);
        bool Far(int start, int itemEnd) => itemEnd < windowStart || start > windowEnd;
    }

    /// <summary>
    /// Where the first word between <paramref name="start"/> and <paramref name="end"/> starts and ends, after
    /// whitespace, comments and preprocessor lines; an empty range where none does.
    /// </summary>
    private static (int Start, int End) FirstWord(string text, int start, int end)
    {
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) i++;
            else if (c == '/' && SkipComment(text, i) is var after && after > i + 1) i = after;
            else if (c == '#' && IsLineStart(text, i)) i = LineEnd(text, i);
            else break;
        }
        int wordStart = i;
        while (i < end && char.IsLetter(text[i])) i++;
        return (wordStart, i);
    }

    /// <summary>
    /// Whether a block's header declares a namespace or type: one of their keywords outside comments and literals, and
    /// not after <c>:</c> or <c>,</c> (<c>where T : class</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool DeclaresType(string text, int start, int end)
    {
        // Most headers are a member's, with none of the words anywhere in them.
        if (text.AsSpan(start, end - start).IndexOfAny(s_typeKeywords) < 0) return false;
        char last = '\0';
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (c == '/' && SkipComment(text, i) is var after && after > i + 1) i = after;
            else if (c is '"' or '\'') { i = SkipLiteral(text, LiteralStart(text, i)); last = '"'; }
            else if (c == '#' && IsLineStart(text, i)) i = LineEnd(text, i);
            else if (char.IsLetter(c) || c is '_' or '@')
            {
                int wordStart = i;
                while (i < end && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '@')) i++;
                if (last is not (':' or ',') && text.AsSpan(wordStart, i - wordStart) is "class" or "struct" or "interface" or "record" or "enum" or "namespace") return true;
                last = 'a';
            }
            else
            {
                if (!char.IsWhiteSpace(c)) last = c;
                i++;
            }
        }
        return false;
    }

    private static readonly SearchValues<string> s_typeKeywords =
        SearchValues.Create(["class", "struct", "interface", "record", "enum", "namespace"], StringComparison.Ordinal);

    /// <summary>After the comment at <paramref name="i"/>; one past a <c>/</c> that starts none.</summary>
    private static int SkipComment(string text, int i)
    {
        if (i + 1 < text.Length && text[i + 1] == '/') return LineEnd(text, i);
        if (i + 1 < text.Length && text[i + 1] == '*')
        {
            int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return close < 0 ? text.Length : close + 2;
        }
        return i + 1;
    }

    /// <summary>Where the literal whose quote is at <paramref name="quote"/> starts: its <c>$</c> and <c>@</c> prefix.</summary>
    private static int LiteralStart(string text, int quote)
    {
        int start = quote;
        if (text[quote] == '"')
        {
            while (start > 0 && text[start - 1] is '$' or '@') start--;
        }
        return start;
    }

    private static bool IsLineStart(string text, int position)
    {
        for (int i = position - 1; i >= 0 && text[i] != '\n'; i--)
        {
            if (!char.IsWhiteSpace(text[i])) return false;
        }
        return true;
    }

    private static int LineEnd(string text, int from)
    {
        int end = text.IndexOf('\n', from);
        return end < 0 ? text.Length : end;
    }

    private static int LineStartOf(string text, int position) => text.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;

    /// <summary>
    /// The end of the string or character literal starting at <paramref name="start"/> (regular, verbatim, raw,
    /// interpolated, with the holes' code scanned for its own literals and braces).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipLiteral(string text, int start)
    {
        int i = start;
        int dollars = 0;
        bool verbatim = false;
        while (i < text.Length && text[i] is '$' or '@')
        {
            if (text[i] == '$') dollars++;
            else verbatim = true;
            i++;
        }
        if (i >= text.Length) return text.Length;
        if (text[i] == '\'')
        {
            // 'x', '\'', '\u0041': to the closing quote on the same line.
            int j = i + 1;
            if (j < text.Length && text[j] == '\\') j += 2;
            else j++;
            while (j < text.Length && text[j] != '\'' && text[j] != '\n') j++;
            return Math.Min(text.Length, j + 1);
        }
        int quotes = 0;
        while (i + quotes < text.Length && text[i + quotes] == '"') quotes++;
        if (quotes >= 3 && !verbatim)
        {
            // Raw: ends at the same number of quotes; its holes are left to the quotes.
            int close = text.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return close < 0 ? text.Length : close + quotes;
        }
        if (quotes == 2 && !verbatim) return i + 2; // ""
        i++;
        while (i < text.Length)
        {
            char c = text[i];
            if (verbatim)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { i += 2; continue; }
                    return i + 1;
                }
            }
            else
            {
                if (c == '\\') { i += 2; continue; }
                if (c == '"') return i + 1;
                if (c == '\n') return i;
            }
            if (dollars > 0 && c == '{')
            {
                if (i + 1 < text.Length && text[i + 1] == '{') { i += 2; continue; }
                i = SkipHole(text, i + 1);
                continue;
            }
            i++;
        }
        return text.Length;
    }

    /// <summary>The end of an interpolation hole whose code starts at <paramref name="start"/>: after its closing brace.</summary>
    private static int SkipHole(string text, int start)
    {
        int depth = 0;
        int i = start;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is '"' or '\'')
            {
                i = SkipLiteral(text, LiteralStart(text, i));
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}' && depth-- == 0) return i + 1;
            else if (c == '\n') return i; // a hole does not span lines in a regular string; stop rather than run on
            i++;
        }
        return text.Length;
    }
}
