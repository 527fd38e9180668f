using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The lexical part of a question's retrieval: BM25 over the line windows of every text file, for the question's words.
/// Questions are prose, code is identifiers: a plain word ("loans") matches the identifiers having it as a part
/// (<c>Loan</c>, <c>OverdueLoans</c>, <c>loanCount</c>), at half the weight of an identifier written out.
/// </summary>
internal sealed partial class QuestionRetrieval
{
    private const double PartWeight = 0.5;
    private const int MaxSelectionTerms = 40;

    private sealed record Term(string Word, double Weight, bool Expand);

    private IEnumerable<Candidate> Lexical(int budget)
    {
        if (budget < MinItemTokens || _facts.WindowCount == 0) return [];
        var terms = Terms();
        if (terms.Count == 0) return [];
        var words = QuestionWords.Of(_facts);
        double averageLength = Math.Max(1, (double)_facts.TotalWindowLength / _facts.WindowCount);
        var scores = new Dictionary<(int Source, int Window), double>();
        var evidence = new Dictionary<(int Source, int Window), List<string>>();
        var frequencies = new Dictionary<(int Source, int Window), double>();
        foreach (var term in terms)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            frequencies.Clear();
            foreach (var (identifier, weight) in IdentifiersOf(term, words))
            {
                foreach (var (source, token) in _facts.RunsOf(identifier))
                {
                    var document = _facts.Sources[source];
                    if (!IsCurrent(document)) continue;
                    foreach (var (window, count) in document.Lexical.PostingsOf(token))
                    {
                        ref double frequency = ref CollectionsMarshal.GetValueRefOrAddDefault(frequencies, (source, window), out _);
                        frequency += weight * count;
                    }
                }
            }
            if (frequencies.Count == 0) continue;
            double idf = Math.Log(1 + (_facts.WindowCount - frequencies.Count + 0.5) / (frequencies.Count + 0.5));
            foreach (var (key, frequency) in frequencies)
            {
                double norm = 1.2 * (0.25 + 0.75 * _facts.Sources[key.Source].Lexical.WindowLengths[key.Window] / averageLength);
                ref double score = ref CollectionsMarshal.GetValueRefOrAddDefault(scores, key, out _);
                score += term.Weight * idf * frequency * 2.2 / (frequency + norm);
                ref var found = ref CollectionsMarshal.GetValueRefOrAddDefault(evidence, key, out _);
                (found ??= []).Add(term.Word);
            }
        }
        if (scores.Count == 0) return [];

        // The best windows only: sorting every scored window of a large repository costs more than the question.
        int keep = Math.Max(16, budget / 64);
        var best = new PriorityQueue<(int Source, int Window), (double Score, string Path, int Window)>(LexicalOrder.Instance);
        foreach (var (key, score) in scores)
        {
            var priority = (score, _facts.Sources[key.Source].Path, key.Window);
            if (best.Count < keep) best.Enqueue(key, priority);
            else if (best.TryPeek(out _, out var worst) && LexicalOrder.Instance.Compare(priority, worst) > 0) best.EnqueueDequeue(key, priority);
        }
        var top = new List<((int Source, int Window) Key, double Score)>();
        while (best.TryDequeue(out var key, out var priority)) top.Add((key, priority.Score));
        double max = top.Count == 0 ? 1 : top.Max(t => t.Score);
        var candidates = new List<Candidate>();
        var texts = new Dictionary<SourceDocument, SourceText?>();
        foreach (var ((source, window), score) in top)
        {
            var document = _facts.Sources[source];
            if (!texts.TryGetValue(document, out var text)) texts[document] = text = document.ReadText();
            // A file changed on disk since it was indexed is skipped; the watcher's event re-indexes it.
            if (text is null || text.Lines.Count != document.Lexical.LineCount) continue;
            var (start, end) = document.Lexical.Window(window);
            var range = new SourceSpan(start, 0, end, text.Lines[end].Span.Length);
            if (_document is not null && document.Path == _document.Path && _text is not null && !_selection.IsEmpty && Overlaps(range, _text, _selection)) continue;
            var mentioned = evidence[(source, window)].Distinct(StringComparer.OrdinalIgnoreCase).Take(4);
            candidates.Add(new Candidate(document.Path, range, "lexical", $"mentions {string.Join(", ", mentioned)}", LinesOf(text, start, end), 100 + 50 * score / max, Whole: true));
        }
        return candidates;
    }

    /// <summary>The question's words (its earlier turns' at half weight), and the selection's identifiers when it has one.</summary>
    private List<Term> Terms()
    {
        var terms = new Dictionary<string, Term>(StringComparer.Ordinal);
        void AddWords(string text, double weight)
        {
            var tokens = new List<string>();
            Identifiers.Split(text, tokens);
            foreach (var token in tokens)
            {
                bool plain = token.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
                if (plain && (token.Length < 3 || Stopwords.Contains(token))) continue;
                if (!terms.TryGetValue(token, out var existing) || existing.Weight < weight) terms[token] = new Term(token, weight, plain);
            }
        }
        AddWords(_question.Text, 1);
        foreach (var turn in _question.EarlierTurns) AddWords(turn, 0.5);
        if (_text is not null && !_selection.IsEmpty)
        {
            foreach (var (name, _) in Identifiers.Count(_text.ToString(_selection)).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(MaxSelectionTerms))
            {
                if (!terms.ContainsKey(name)) terms[name] = new Term(name, 0.5, Expand: false);
            }
        }
        return terms.Values.OrderBy(t => t.Word, StringComparer.Ordinal).ToList();
    }

    /// <summary>The identifiers a term counts: itself as written, and for a plain word every identifier having it as a part.</summary>
    private static IEnumerable<(string Identifier, double Weight)> IdentifiersOf(Term term, QuestionWords words)
    {
        if (!term.Expand)
        {
            yield return (term.Word, 1);
            yield break;
        }
        foreach (var identifier in words.WithPart(QuestionWords.Stem(term.Word)))
            yield return (identifier, string.Equals(identifier, term.Word, StringComparison.OrdinalIgnoreCase) ? 1 : PartWeight);
    }

    /// <summary>Whether the snapshot still has this version of the file, or the client has it open.</summary>
    private bool IsCurrent(SourceDocument indexed) =>
        _snapshot.Documents.TryGetValue(indexed.Path, out var current)
        && current.IsContextSource
        && (current == indexed || current.IsOpen || current.Stamp is not null && current.Stamp == indexed.Stamp);
}

/// <summary>
/// The words of a repository's identifiers, for questions written in prose: each identifier's parts (<c>OverdueLoans</c>:
/// overdue, loan), stemmed crudely, and declaration names by lower case. Built once per set of repository facts.
/// </summary>
internal sealed class QuestionWords
{
    private const int MaxIdentifiersPerPart = 400;
    private static readonly ConditionalWeakTable<RepositoryFacts, QuestionWords> s_built = new();

    private readonly Dictionary<string, string[]> _byPart;
    private readonly Dictionary<string, string[]> _declarationsByLowerName;

    private QuestionWords(RepositoryFacts facts)
    {
        var byPart = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var document in facts.Sources)
        {
            foreach (var identifier in document.Lexical.Tokens)
            {
                if (!seen.Add(identifier)) continue;
                parts.Clear();
                SplitParts(identifier, parts);
                foreach (var part in parts.Distinct(StringComparer.Ordinal))
                {
                    ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(byPart, part, out _);
                    (list ??= []).Add(identifier);
                }
            }
        }
        // The most used identifiers first, so that a very common part keeps its most telling ones.
        _byPart = byPart.ToDictionary(p => p.Key, p => p.Value.OrderByDescending(facts.NameCount).ThenBy(i => i, StringComparer.Ordinal).Take(MaxIdentifiersPerPart).ToArray(), StringComparer.Ordinal);
        _declarationsByLowerName = facts.DeclarationsByName.Keys
            .GroupBy(name => name.ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public static QuestionWords Of(RepositoryFacts facts) => s_built.GetValue(facts, f => new QuestionWords(f));

    public IReadOnlyList<string> WithPart(string stem) => _byPart.GetValueOrDefault(stem) ?? [];

    public IReadOnlyList<string> DeclarationsIgnoringCase(string name) => _declarationsByLowerName.GetValueOrDefault(name.ToLowerInvariant()) ?? [];

    /// <summary>Parts of an identifier, lower case and stemmed: <c>HTTPServerConfig2</c> → http, server, config.</summary>
    public static void SplitParts(string identifier, List<string> parts)
    {
        int start = 0;
        for (int i = 1; i <= identifier.Length; i++)
        {
            bool boundary = i == identifier.Length
                || identifier[i] == '_' || identifier[i - 1] == '_'
                || char.IsDigit(identifier[i]) != char.IsDigit(identifier[i - 1])
                || char.IsLower(identifier[i - 1]) && char.IsUpper(identifier[i])
                || i + 1 < identifier.Length && char.IsUpper(identifier[i - 1]) && char.IsUpper(identifier[i]) && char.IsLower(identifier[i + 1]);
            if (!boundary) continue;
            var part = identifier[start..i].Trim('_');
            if (part.Length >= 3 && !part.All(char.IsDigit)) parts.Add(Stem(part.ToLowerInvariant()));
            start = i;
        }
    }

    /// <summary>A crude English stemmer, the same for both sides: plurals and -ing/-ed endings.</summary>
    public static string Stem(string word)
    {
        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal)) return word[..^3] + "y";
        if (word.EndsWith("sses", StringComparison.Ordinal)) return word[..^2];
        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)) word = word[..^1];
        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal)) return word[..^3];
        if (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal)) return word[..^2];
        return word;
    }
}

/// <summary>Words of questions that say nothing about which code is meant.</summary>
internal static class Stopwords
{
    private static readonly HashSet<string> s_words = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
        "does", "doing", "done", "each", "for", "from", "get", "gets", "has", "have", "here", "how", "i", "if", "in", "into", "is",
        "it", "its", "just", "me", "my", "need", "not", "of", "on", "or", "our", "please", "should", "so", "some", "tell", "than",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was", "we", "were", "what",
        "when", "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
        "explain", "code", "function", "method", "class", "work", "works", "happen", "happens", "used", "use", "uses", "using",
        "called", "call", "calls", "selected", "selection", "line", "lines", "file", "files", "mean", "means", "purpose",
        "find", "finds", "found", "defined", "implemented", "handled", "happening", "set", "made", "make", "makes", "thing", "things",
    };

    public static bool Contains(string word) => s_words.Contains(word);
}
