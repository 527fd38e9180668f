using System.Buffers;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>The lexical fill of a query: BM25 over the windows of every other text file.</summary>
internal sealed partial class ContextQuery
{
    // Our own pool: the arrays come back zeroed, which a shared pool's renters do not promise.
    private static readonly ArrayPool<double> s_scores = ArrayPool<double>.Create(maxArrayLength: 1 << 24, maxArraysPerBucket: 8);

    /// <summary>BM25 over line windows of every other file (any text file), filling what the budget has left.</summary>
    private int PackLexical(List<ContextItem> items, int budget, Func<string, int> countTokens)
    {
        if (budget < MinItemTokens) return 0;
        var text = _text;
        int cursorLine = text.Lines.GetLineFromPosition(_cursor).LineNumber;
        var raw = new List<string>();
        Identifiers.Split(text.ToString(TextSpan.FromBounds(text.Lines[Math.Max(0, cursorLine - 10)].Start, _cursor)), raw);
        Identifiers.Split(text.ToString(TextSpan.FromBounds(_cursor, text.Lines[Math.Min(text.Lines.Count - 1, cursorLine + 5)].End)), raw);
        var queryTokens = raw.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        if (_facts.WindowCount == 0) return 0;
        double averageLength = Math.Max(1, (double)_facts.TotalWindowLength / _facts.WindowCount);
        // Scores by window number, in an array rather than a dictionary: common words touch tens of thousands of windows.
        var scores = s_scores.Rent((int)_facts.WindowCount);
        var touched = new List<(int Source, int Window)>();
        // Whether each source is usable, asked once per source rather than once per query word.
        var usable = new sbyte[_facts.Sources.Length];
        var scored = new List<(SourceDocument Source, int Window)>();
        try
        {
            foreach (var token in queryTokens)
            {
                var runs = _facts.RunsOf(token);
                if (runs.IsEmpty) continue;
                int windowsWithToken = _facts.WindowsWith(token);
                double idf = Math.Log(1 + (_facts.WindowCount - windowsWithToken + 0.5) / (windowsWithToken + 0.5));
                foreach (var (source, runToken) in runs)
                {
                    var document = _facts.Sources[source];
                    if (usable[source] == 0) usable[source] = (sbyte)(document.Path != _document.Path && IsCurrent(document) ? 1 : -1);
                    if (usable[source] < 0) continue;
                    var lexical = document.Lexical;
                    foreach (var (window, count) in lexical.PostingsOf(runToken))
                    {
                        double norm = 1.2 * (0.25 + 0.75 * lexical.WindowLengths[window] / averageLength);
                        ref double score = ref scores[_facts.WindowNumber(source, window)];
                        if (score == 0) touched.Add((source, window));
                        score += idf * count * 2.2 / (count + norm);
                    }
                }
            }

            // Keep only the best windows: sorting every scored window of a large repository costs more than the query.
            var best = new PriorityQueue<int, (double Score, string Path, int Window)>(LexicalOrder.Instance);
            int keep = Math.Max(16, budget / 64);
            foreach (var (source, window) in touched)
            {
                var priority = (scores[_facts.WindowNumber(source, window)], _facts.Sources[source].Path, window);
                if (best.Count < keep) best.Enqueue(source, priority);
                else if (best.TryPeek(out _, out var worst) && LexicalOrder.Instance.Compare(priority, worst) > 0) best.EnqueueDequeue(source, priority);
            }
            while (best.TryDequeue(out var source, out var priority)) scored.Add((_facts.Sources[source], priority.Window));
            scored.Reverse();
        }
        finally
        {
            // Returned as it was rented, all zeros.
            foreach (var (source, window) in touched) scores[_facts.WindowNumber(source, window)] = 0;
            s_scores.Return(scores);
        }

        int used = 0;
        var takenLines = items.GroupBy(i => i.Path).ToDictionary(g => g.Key, g => g.Select(i => (i.Range.StartLine, i.Range.EndLine)).ToList());
        var texts = new Dictionary<SourceDocument, SourceText?>();
        foreach (var (source, window) in scored)
        {
            if (budget - used < MinItemTokens) break;
            var (start, end) = source.Lexical.Window(window);
            var taken = takenLines.GetValueOrDefault(source.Path);
            if (taken is not null && taken.Any(t => t.StartLine <= end && start <= t.EndLine)) continue;
            if (!texts.TryGetValue(source, out var sourceText)) texts[source] = sourceText = source.ReadText();
            // A file changed on disk since it was indexed is skipped; the watcher's event re-indexes it.
            if (sourceText is null || sourceText.Lines.Count != source.Lexical.LineCount) continue;
            var lines = sourceText.Lines;
            string windowText = string.Join("\n", Enumerable.Range(start, end - start + 1).Select(l => lines[l].ToString()));
            int cost = countTokens(windowText);
            if (used + cost > budget) continue;
            items.Add(new ContextItem(source.Path, new SourceSpan(start, 0, end, lines[end].Span.Length), "lexical", windowText));
            used += cost;
            if (taken is null) takenLines[source.Path] = taken = [];
            taken.Add((start, end));
        }
        return used;
    }
}

/// <summary>Lexical windows from worst to best: lower score, then later path, then later window.</summary>
internal sealed class LexicalOrder : IComparer<(double Score, string Path, int Window)>
{
    public static readonly LexicalOrder Instance = new();

    public int Compare((double Score, string Path, int Window) x, (double Score, string Path, int Window) y)
    {
        int byScore = x.Score.CompareTo(y.Score);
        if (byScore != 0) return byScore;
        int byPath = string.CompareOrdinal(y.Path, x.Path);
        return byPath != 0 ? byPath : y.Window.CompareTo(x.Window);
    }
}
