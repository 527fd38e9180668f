using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CodeAssist.Context;

/// <summary>
/// One file cut into overlapping line windows (20 lines, stride 10), with its distinct identifiers, how often
/// each occurs, and the windows each occurs in. Built in one pass over the text and never changed, so snapshots
/// share it freely. Flat arrays rather than a dictionary per file: a large repository has tens of millions of
/// postings, and the layout is what <see cref="IndexCache"/> writes to disk.
/// </summary>
internal sealed class LexicalWindows
{
    public const int WindowLines = 20;
    public const int Stride = 10;

    private readonly int[] _runStarts;
    private readonly byte[] _postings;

    public LexicalWindows(int lineCount, string[] tokens, int[] tokenCounts, int[] runStarts, byte[] postings, int[] windowLengths)
    {
        LineCount = lineCount;
        Tokens = tokens;
        TokenCounts = tokenCounts;
        _runStarts = runStarts;
        _postings = postings;
        WindowLengths = windowLengths;
    }

    public int LineCount { get; }

    /// <summary>The file's distinct identifiers, interned (see <see cref="Identifiers"/>).</summary>
    public string[] Tokens { get; }

    /// <summary>How often each of <see cref="Tokens"/> occurs in the file.</summary>
    public int[] TokenCounts { get; }

    /// <summary>Identifier occurrences in each window: BM25's document length.</summary>
    public int[] WindowLengths { get; }

    /// <summary>Where each token's postings start in <see cref="Postings"/>; one more entry than tokens.</summary>
    public ReadOnlySpan<int> RunStarts => _runStarts;

    /// <summary>
    /// Each token's windows, ascending, with the token's count in each: one varint per posting holding the gap from
    /// the previous window and the count (a second varint when the count is 4 or more). Most postings take one byte.
    /// </summary>
    public ReadOnlySpan<byte> Postings => _postings;

    public PostingReader PostingsOf(int token) => new(_postings.AsSpan(_runStarts[token], _runStarts[token + 1] - _runStarts[token]));

    /// <summary>Whether the arrays agree with each other and every run decodes to ascending windows in range: a check for data read from disk.</summary>
    public bool IsWellFormed()
    {
        int expectedWindows = LineCount <= WindowLines ? 1 : (LineCount - WindowLines + Stride - 1) / Stride + 1;
        if (LineCount < 1 || WindowLengths.Length != expectedWindows || TokenCounts.Length != Tokens.Length
            || _runStarts.Length != Tokens.Length + 1 || _runStarts[0] != 0 || _runStarts[^1] != _postings.Length) return false;
        for (int token = 0; token < Tokens.Length; token++)
        {
            if (_runStarts[token] > _runStarts[token + 1]) return false;
            int previous = -1;
            try
            {
                foreach (var (window, count) in PostingsOf(token))
                {
                    if (window <= previous || window >= WindowLengths.Length || count < 1) return false;
                    previous = window;
                }
            }
            catch (IndexOutOfRangeException)
            {
                return false; // a varint running past its run
            }
        }
        return true;
    }

    public (int StartLine, int EndLine) Window(int window) => (window * Stride, Math.Min(LineCount - 1, window * Stride + WindowLines - 1));

    public static LexicalWindows Build(string text)
    {
        // Tokens of each line as indexes into the file's distinct identifiers.
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new List<string>();
        var counts = new List<int>();
        var lineTokens = new List<int>();
        var lineStarts = new List<int> { 0 };
        Action<string> add = token =>
        {
            ref int index = ref CollectionsMarshal.GetValueRefOrAddDefault(distinct, token, out bool exists);
            if (!exists) { index = tokens.Count; tokens.Add(token); counts.Add(0); }
            counts[index]++;
            lineTokens.Add(index);
        };
        int position = 0;
        while (true)
        {
            // Lines as SourceText counts them, as the rest of the engine numbers them.
            int end = text.AsSpan(position).IndexOfAny(LspPosition.RoslynBreaks);
            Identifiers.Split(end < 0 ? text.AsSpan(position) : text.AsSpan(position, end), add);
            lineStarts.Add(lineTokens.Count);
            if (end < 0) break;
            position += end + (text[position + end] == '\r' && position + end + 1 < text.Length && text[position + end + 1] == '\n' ? 2 : 1);
        }
        int lineCount = lineStarts.Count - 1;

        var windowCounts = new int[tokens.Count];
        var touched = new List<int>();
        var windowPostings = new List<(int Token, int Window, int Count)>();
        var lengths = new List<int>();
        for (int start = 0; start < lineCount; start += Stride)
        {
            int last = Math.Min(lineCount - 1, start + WindowLines - 1);
            int window = lengths.Count;
            int from = lineStarts[start], to = lineStarts[last + 1];
            for (int i = from; i < to; i++)
            {
                if (windowCounts[lineTokens[i]]++ == 0) touched.Add(lineTokens[i]);
            }
            lengths.Add(to - from);
            foreach (int token in touched)
            {
                windowPostings.Add((token, window, windowCounts[token]));
                windowCounts[token] = 0;
            }
            touched.Clear();
            if (last == lineCount - 1) break;
        }

        // Group by token (a counting sort keeps each token's windows ascending), then encode each token's run.
        var order = new int[tokens.Count + 1];
        foreach (var (token, _, _) in windowPostings) order[token + 1]++;
        for (int i = 0; i < tokens.Count; i++) order[i + 1] += order[i];
        var grouped = new (int Window, int Count)[windowPostings.Count];
        var next = order[..^1];
        foreach (var (token, window, count) in windowPostings) grouped[next[token]++] = (window, count);
        var runStarts = new int[tokens.Count + 1];
        var encoded = new List<byte>(windowPostings.Count + windowPostings.Count / 4);
        for (int token = 0; token < tokens.Count; token++)
        {
            runStarts[token] = encoded.Count;
            int previous = 0;
            for (int i = order[token]; i < order[token + 1]; i++)
            {
                var (window, count) = grouped[i];
                WriteVarint(encoded, (uint)(window - previous) << 2 | (uint)Math.Min(count - 1, 3));
                if (count >= 4) WriteVarint(encoded, (uint)(count - 4));
                previous = window;
            }
        }
        runStarts[tokens.Count] = encoded.Count;
        return new LexicalWindows(lineCount, [.. tokens], [.. counts], runStarts, [.. encoded], [.. lengths]);
    }

    private static void WriteVarint(List<byte> bytes, uint value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
    }

    /// <summary>Decodes one token's postings (see <see cref="Postings"/>).</summary>
    public ref struct PostingReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _offset;
        private int _window;

        public (int Window, int Count) Current { get; private set; }

        public readonly PostingReader GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_offset >= _bytes.Length) return false;
            uint value = ReadVarint();
            _window += (int)(value >> 2);
            int count = (int)(value & 3) + 1;
            if (count == 4) count += (int)ReadVarint();
            Current = (_window, count);
            return true;
        }

        /// <summary>How many windows the token is in.</summary>
        public int Count()
        {
            int count = 0;
            while (MoveNext()) count++;
            return count;
        }

        private uint ReadVarint()
        {
            uint value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = _bytes[_offset++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}

/// <summary>
/// Identifier tokens as the lexical ranking sees them: <c>[A-Za-z_][A-Za-z0-9_]*</c> minus C# reserved keywords.
/// Every token is interned once per process: a repository repeats the same few hundred thousand names millions of times.
/// </summary>
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

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_keywordLookup = s_keywords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly ConcurrentDictionary<string, string> s_names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_nameLookup = s_names.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Intern(ReadOnlySpan<char> name)
    {
        if (s_nameLookup.TryGetValue(name, out var interned)) return interned;
        string created = name.ToString();
        return s_names.GetOrAdd(created, created);
    }

    public static void Split(ReadOnlySpan<char> text, ICollection<string> tokens) => Split(text, tokens.Add);

    /// <summary>
    /// How often each identifier of <see cref="Split"/> occurs in <paramref name="text"/>, counted by span: an open
    /// document of megabytes is counted while its first query waits.
    /// </summary>
    public static Dictionary<string, int> Count(ReadOnlySpan<char> text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; Next(text, ref i, out var name);) CollectionsMarshal.GetValueRefOrAddDefault(lookup, name, out _)++;
        return counts;
    }

    public static void Split(ReadOnlySpan<char> text, Action<string> token)
    {
        for (int i = 0; Next(text, ref i, out var name);) token(Intern(name));
    }

    /// <summary>
    /// The next identifier at or after <paramref name="i"/>, which moves past it: a run of ASCII letters, digits and
    /// underscores that starts with no digit (a number) and is no keyword. False at the text's end. A loop over the
    /// characters: as fast as a vectorized search on a file of megabytes, faster on the short lines the index splits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Next(ReadOnlySpan<char> text, ref int i, out ReadOnlySpan<char> name)
    {
        while (i < text.Length)
        {
            char first = text[i];
            if (!char.IsAsciiLetterOrDigit(first) && first != '_')
            {
                i++;
                continue;
            }
            int start = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
            name = text[start..i];
            if (!char.IsAsciiDigit(first) && !s_keywordLookup.Contains(name)) return true;
        }
        name = default;
        return false;
    }
}
