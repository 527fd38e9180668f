using System.Text;
using CodeAssist.Git;

namespace CodeAssist.Features.Commit;

/// <summary>
/// Packs a patch into a token budget, file by file, cutting whole units only, so the model never sees half a line:
/// first the biggest hunks become one-line markers, then (when even the headers do not fit) the biggest files become
/// one-line summaries, then the last summaries give way to a count. What was cut is counted for the notes.
/// </summary>
internal static class DiffPacking
{
    public sealed record Result(string Text, int Tokens, int HunksCut, int FilesSummarized, int FilesDropped);

    private sealed class FilePart(DiffFile file, string header, int headerTokens, string summary, int summaryTokens)
    {
        public DiffFile File { get; } = file;
        public string Header { get; } = header;
        public int HeaderTokens { get; } = headerTokens;
        public string Summary { get; } = summary;
        public int SummaryTokens { get; } = summaryTokens;
        public required string[] HunkTexts { get; init; }
        public required int[] HunkTokens { get; init; }
        public required string[] CutMarkers { get; init; }
        public required int[] CutTokens { get; init; }
        public bool[] Cut { get; set; } = [];
        public bool Summarized { get; set; }
        public bool Dropped { get; set; }

        public int Tokens => Dropped ? 0 : Summarized ? SummaryTokens
            : HeaderTokens + Enumerable.Range(0, HunkTexts.Length).Sum(i => Cut[i] ? CutTokens[i] : HunkTokens[i]);
    }

    public static Result Pack(IReadOnlyList<DiffFile> files, int budget, Func<string, int> countTokens)
    {
        var parts = files.Select(file =>
        {
            string header = string.Concat(file.Header.Where(line => !line.StartsWith("index ", StringComparison.Ordinal)).Select(line => line + "\n"));
            var hunkTexts = file.Hunks.Select(h => h.Header + "\n" + string.Concat(h.Lines.Select(l => l + "\n"))).ToArray();
            var markers = file.Hunks.Select(h => $"{h.Header} ({h.Lines.Count} lines left out: +{h.Lines.Count(l => l.StartsWith('+'))} -{h.Lines.Count(l => l.StartsWith('-'))})\n").ToArray();
            string summary = $"{file.Path}: {(file.IsBinary ? "binary file changed" : $"+{file.AddedLines} -{file.RemovedLines} lines")} (diff left out)\n";
            return new FilePart(file, header, countTokens(header), summary, countTokens(summary))
            {
                HunkTexts = hunkTexts,
                HunkTokens = hunkTexts.Select(countTokens).ToArray(),
                CutMarkers = markers,
                CutTokens = markers.Select(countTokens).ToArray(),
                Cut = new bool[hunkTexts.Length],
            };
        }).ToArray();

        int total = parts.Sum(p => p.Tokens);
        int hunksCut = 0, summarized = 0, dropped = 0;

        // Biggest hunks first: each cut saves the most for the least lost.
        var hunks = parts.SelectMany(p => Enumerable.Range(0, p.HunkTexts.Length).Select(i => (Part: p, Index: i)))
            .OrderByDescending(h => h.Part.HunkTokens[h.Index] - h.Part.CutTokens[h.Index]).ToArray();
        foreach (var (part, index) in hunks)
        {
            if (total <= budget) break;
            int saved = part.HunkTokens[index] - part.CutTokens[index];
            if (saved <= 0) continue;
            part.Cut[index] = true;
            total -= saved;
            hunksCut++;
        }

        foreach (var part in parts.OrderByDescending(p => p.Tokens - p.SummaryTokens))
        {
            if (total <= budget) break;
            int saved = part.Tokens - part.SummaryTokens;
            if (saved <= 0) continue;
            part.Summarized = true;
            total -= saved;
            summarized++;
        }

        string countLine(int n) => $"... and {n} more changed files\n";
        for (int i = parts.Length - 1; i >= 0 && total + (dropped > 0 ? countTokens(countLine(dropped)) : 0) > budget; i--)
        {
            total -= parts[i].Tokens;
            parts[i].Dropped = true;
            dropped++;
        }

        var text = new StringBuilder();
        foreach (var part in parts.Where(p => !p.Dropped))
        {
            if (part.Summarized)
            {
                text.Append(part.Summary);
                continue;
            }
            text.Append(part.Header);
            for (int i = 0; i < part.HunkTexts.Length; i++)
            {
                text.Append(part.Cut[i] ? part.CutMarkers[i] : part.HunkTexts[i]);
            }
        }
        if (dropped > 0)
        {
            text.Append(countLine(dropped));
            total += countTokens(countLine(dropped));
        }
        return new Result(text.ToString(), total, hunksCut, summarized, dropped);
    }
}
