using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using CodeAssist.Models.Native;

namespace CodeAssist.Models;

/// <summary>
/// Every token's text as UTF-8 bytes and the tokens sorted by it, made once per model: the constraint finds the tokens
/// that spell the next part of a name by binary search instead of testing the whole vocabulary (150k tokens for Qwen)
/// at every step, which is what llama.cpp's grammar sampler does.
/// </summary>
internal sealed class TokenTable
{
    private readonly byte[][] _pieces;
    // Token ids with a non-empty piece, ordered by piece (ordinal bytes).
    private readonly int[] _sorted;

    private TokenTable(byte[][] pieces, int[] sorted, int[] separatorStarts, int[] endOfGeneration)
    {
        _pieces = pieces;
        _sorted = sorted;
        SeparatorStarts = separatorStarts;
        EndOfGeneration = endOfGeneration;
        SeparatorPenalty = new float[pieces.Length];
        Array.Fill(SeparatorPenalty, float.NegativeInfinity);
        foreach (int token in separatorStarts) SeparatorPenalty[token] = 0;
    }

    public int VocabularySize => _pieces.Length;

    /// <summary>Tokens whose text starts with a character that cannot continue an identifier (a space, punctuation, a line break).</summary>
    public int[] SeparatorStarts { get; }

    public int[] EndOfGeneration { get; }

    /// <summary>0 for the <see cref="SeparatorStarts"/>, −∞ for every other token: added to logits, it leaves the separators.</summary>
    public float[] SeparatorPenalty { get; }

    public ReadOnlySpan<byte> Piece(int token) => _pieces[token];

    public static TokenTable Build(LlamaModel model)
    {
        int count = model.VocabularySize;
        var pieces = new byte[count][];
        var endOfGeneration = new List<int>();
        for (int token = 0; token < count; token++)
        {
            // Control tokens render empty: they never spell a name.
            pieces[token] = model.TokenBytes(token);
            if (model.IsEndOfGeneration(token)) endOfGeneration.Add(token);
        }
        var sorted = Enumerable.Range(0, count).Where(t => pieces[t].Length > 0).ToArray();
        Array.Sort(sorted, (a, b) => pieces[a].AsSpan().SequenceCompareTo(pieces[b]));
        var separators = sorted.Where(t => !ContinuesIdentifier(pieces[t])).Order().ToArray();
        return new TokenTable(pieces, sorted, separators, [.. endOfGeneration]);
    }

    /// <summary>
    /// Adds each token whose text is exactly <paramref name="text"/>; returns whether a longer token starts with it
    /// (when none does, no longer piece of the same name can be a token either).
    /// </summary>
    public bool AddEqual(ReadOnlySpan<byte> text, List<int> add)
    {
        int i = LowerBound(text);
        for (; i < _sorted.Length && _pieces[_sorted[i]].AsSpan().SequenceEqual(text); i++) add.Add(_sorted[i]);
        return i < _sorted.Length && _pieces[_sorted[i]].AsSpan().StartsWith(text);
    }

    /// <summary>
    /// Adds each token whose text is <paramref name="rest"/> followed by a character that cannot continue an
    /// identifier: it finishes a name and goes on past it (<c>Title(</c>, <c>le;</c>).
    /// </summary>
    public void AddFinishing(ReadOnlySpan<byte> rest, List<int> add)
    {
        for (int i = LowerBound(rest); i < _sorted.Length; i++)
        {
            var piece = _pieces[_sorted[i]];
            if (!piece.AsSpan().StartsWith(rest)) break;
            if (piece.Length > rest.Length && !ContinuesIdentifier(piece.AsSpan(rest.Length))) add.Add(_sorted[i]);
        }
    }

    /// <summary>The first position in the sorted tokens whose text is not below <paramref name="text"/>.</summary>
    private int LowerBound(ReadOnlySpan<byte> text)
    {
        int low = 0, high = _sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_pieces[_sorted[middle]].AsSpan().SequenceCompareTo(text) < 0) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>
    /// Whether UTF-8 text starts with a character that can be part of an identifier (letters, digits, <c>_</c>, joining
    /// and combining marks). Part of a character split across tokens counts as one: it may well be a letter.
    /// </summary>
    public static bool ContinuesIdentifier(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        if (text[0] < 0x80) return char.IsAsciiLetterOrDigit((char)text[0]) || text[0] == '_';
        if (Rune.DecodeFromUtf8(text, out var rune, out _) != OperationStatus.Done) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format;
    }
}

/// <summary>
/// Holds one generation's first identifier to a set of names, token by token: before each token is sampled, every
/// token is masked out (logit −∞) except those whose text, after what the identifier has so far, is the start of a
/// name, or the rest of one followed by a non-identifier character; once a whole name is written, also any token that
/// starts with a non-identifier character, and the end of generation. Once a token leaves the identifier, generation
/// is free. Owned by the decode loop of one request.
/// </summary>
internal sealed class IdentifierConstraint
{
    private readonly TokenTable _tokens;
    // What the identifier has so far: the typed prefix, then the generated tokens' bytes.
    private readonly List<byte> _written;
    // The names still possible, UTF-8, ordinal order (so neighbours share prefixes).
    private List<byte[]> _live;
    private readonly List<int> _allowed = [];
    private readonly List<int> _found = [];
    private readonly bool[] _marked;
    private float[] _kept = [];

    private IdentifierConstraint(TokenTable tokens, byte[] typed, List<byte[]> names)
    {
        _tokens = tokens;
        _written = [.. typed];
        _live = names;
        _marked = new bool[tokens.VocabularySize];
    }

    public IdentifierConstraintOutcome Outcome { get; private set; } = IdentifierConstraintOutcome.Applied;

    /// <summary>Whether the identifier is still being written (tokens are masked before each sample).</summary>
    public bool IsActive { get; private set; } = true;

    /// <summary>The constraint for a request, or null with the reason when generation is free.</summary>
    public static IdentifierConstraint? Create(Lazy<TokenTable> tokens, IdentifierChoice? choice, out IdentifierConstraintOutcome outcome)
    {
        var names = choice?.Names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToArray() ?? [];
        if (names.Length == 0)
        {
            outcome = IdentifierConstraintOutcome.NotRequested;
            return null;
        }
        var matching = names.Where(n => n.StartsWith(choice!.TypedPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        if (matching.Length == 0)
        {
            outcome = IdentifierConstraintOutcome.NoNameMatchesPrefix;
            return null;
        }
        outcome = IdentifierConstraintOutcome.Applied;
        return new IdentifierConstraint(tokens.Value, Encoding.UTF8.GetBytes(choice!.TypedPrefix), matching.Select(Encoding.UTF8.GetBytes).ToList());
    }

    /// <summary>Leaves the context's last logits to the tokens that keep the identifier on a name: −∞ for every other.</summary>
    public unsafe void Mask(LlamaContext context)
    {
        bool complete = CollectContinuations();
        if (_allowed.Count == 0 && !complete)
        {
            IsActive = false;
            Outcome = IdentifierConstraintOutcome.Abandoned;
            return;
        }
        var pointer = Llama.llama_get_logits_ith(context.Pointer, -1);
        if (pointer == null) throw new ModelException("llama.cpp returned no logits for the last token.");
        var logits = new Span<float>(pointer, _tokens.VocabularySize);
        if (_kept.Length < _allowed.Count) _kept = new float[Math.Max(_allowed.Count, 2 * _kept.Length)];
        for (int i = 0; i < _allowed.Count; i++) _kept[i] = logits[_allowed[i]];
        // A whole name written: about half the vocabulary may follow (anything not continuing an identifier), added
        // in one vector pass rather than listed token by token.
        if (complete) AddPenalty(logits, _tokens.SeparatorPenalty);
        else logits.Fill(float.NegativeInfinity);
        for (int i = 0; i < _allowed.Count; i++) logits[_allowed[i]] = _kept[i];
    }

    private static void AddPenalty(Span<float> logits, ReadOnlySpan<float> penalty)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(logits);
        var penalties = MemoryMarshal.Cast<float, Vector<float>>(penalty);
        for (int i = 0; i < vectors.Length; i++) vectors[i] += penalties[i];
        for (int i = vectors.Length * Vector<float>.Count; i < logits.Length; i++) logits[i] += penalty[i];
    }

    /// <summary>Takes the sampled token: the identifier goes on while what it has so far still starts a name.</summary>
    public void Accept(int token)
    {
        _written.AddRange(_tokens.Piece(token));
        var written = CollectionsMarshal.AsSpan(_written);
        var live = new List<byte[]>(_live.Count);
        foreach (var name in _live)
        {
            if (name.AsSpan().StartsWith(written)) live.Add(name);
        }
        _live = live;
        if (_live.Count == 0) IsActive = false;
    }

    /// <summary>The tokens the next sample may be, each once (what <see cref="Mask"/> leaves).</summary>
    internal IReadOnlySet<int> Allowed()
    {
        bool complete = CollectContinuations();
        var allowed = _allowed.ToHashSet();
        if (complete) allowed.UnionWith(_tokens.SeparatorStarts);
        return allowed;
    }

    /// <summary>
    /// Collects in <see cref="_allowed"/> the tokens that continue the identifier toward a name, or finish one and go on
    /// past it, and once a whole name is written, the end-of-generation tokens; returns whether a whole name is written
    /// (then the <see cref="TokenTable.SeparatorStarts"/> may follow too).
    /// </summary>
    private bool CollectContinuations()
    {
        foreach (int token in _allowed) _marked[token] = false;
        _allowed.Clear();
        var written = CollectionsMarshal.AsSpan(_written);
        var found = _found;
        found.Clear();
        bool complete = false;
        // Names come in ordinal order: the starts of the rest a name shares with the previous one were looked up already,
        // and past the shortest start no token continues (previousEnd), nothing is left to find.
        ReadOnlySpan<byte> previous = default;
        int previousEnd = int.MaxValue;
        foreach (var name in _live)
        {
            var rest = name.AsSpan(written.Length);
            if (rest.IsEmpty)
            {
                complete = true;
                continue;
            }
            int shared = rest.CommonPrefixLength(previous);
            previous = rest;
            if (shared >= previousEnd) continue;
            previousEnd = int.MaxValue;
            for (int length = shared + 1; length <= rest.Length && previousEnd == int.MaxValue; length++)
            {
                if (!_tokens.AddEqual(rest[..length], found) && length < rest.Length) previousEnd = length;
            }
            if (previousEnd == int.MaxValue) _tokens.AddFinishing(rest, found);
        }
        if (complete) found.AddRange(_tokens.EndOfGeneration);
        foreach (int token in found)
        {
            if (_marked[token]) continue;
            _marked[token] = true;
            _allowed.Add(token);
        }
        return complete;
    }
}
