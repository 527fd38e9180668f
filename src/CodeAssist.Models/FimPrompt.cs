namespace CodeAssist.Models;

/// <summary>A context snippet from another file (path + text), most useful first.</summary>
public sealed record ContextSnippet(string Path, string Text);

/// <summary>
/// Fill-in-the-middle input: the text before and after the cursor, the file's path and language, and snippets from other
/// files. <see cref="Fit"/> shrinks it to a token budget: context snippets go first (least useful last), then the far
/// prefix and the far suffix, whole lines at a time; the line the cursor is on is never cut.
/// </summary>
public sealed record FimPrompt
{
    public required string Prefix { get; init; }
    public string Suffix { get; init; } = "";
    public string? FilePath { get; init; }
    public string? Language { get; init; }
    public string? RepositoryName { get; init; }
    public IReadOnlyList<ContextSnippet> Snippets { get; init; } = [];

    /// <summary>The prompt's parts by size, for logs and benchmark reports.</summary>
    public string Describe() =>
        $"prompt of {Snippets.Count} snippets ({Snippets.Sum(s => s.Text.Length)} characters), prefix {Prefix.Length}, suffix {Suffix.Length}";

    /// <summary>
    /// Returns a copy whose rendering through <paramref name="template"/> takes at most <paramref name="budgetTokens"/>
    /// tokens as counted by <paramref name="countTokens"/>. Throws <see cref="ModelException"/> when even the cursor
    /// lines do not fit.
    /// </summary>
    public FimPrompt Fit(FimTemplate template, Func<string, int> countTokens, int budgetTokens)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(countTokens);
        int Cost(FimPrompt prompt) => template.Build(prompt).Sum(s => s.IsMarker ? 1 : countTokens(s.Text));

        var current = this;
        if (Cost(current) <= budgetTokens)
        {
            return current;
        }
        // 1. Context snippets, least useful (last) first.
        var snippets = Snippets.ToList();
        while (snippets.Count > 0)
        {
            snippets.RemoveAt(snippets.Count - 1);
            current = current with { Snippets = snippets.ToArray() };
            if (Cost(current) <= budgetTokens)
            {
                return current;
            }
        }
        // 2. Far prefix and far suffix, whole lines; the prefix keeps three quarters of what is left.
        var prefixLines = SplitKeepingNewlines(Prefix);   // the last element is the cursor line's start
        var suffixLines = SplitKeepingNewlines(Suffix);   // the first element is the cursor line's end
        var fixedCost = Cost(current with { Prefix = prefixLines[^1], Suffix = suffixLines[0] });
        if (fixedCost > budgetTokens)
        {
            throw new ModelException($"The lines at the cursor alone need {fixedCost} tokens, more than the {budgetTokens} the model's context leaves for the prompt.");
        }
        var lineCosts = (Prefix: prefixLines.Select(countTokens).ToArray(), Suffix: suffixLines.Select(countTokens).ToArray());
        var room = budgetTokens - fixedCost;
        var suffixRoom = room / 4;
        // Take suffix lines nearest the cursor first (up to a quarter), then prefix lines nearest the cursor, then give
        // any room the prefix leaves back to the suffix.
        int TakeSuffix(int limit, int already, ref int spent)
        {
            var taken = already;
            while (taken + 1 < suffixLines.Length && spent + lineCosts.Suffix[taken + 1] <= limit)
            {
                taken++;
                spent += lineCosts.Suffix[taken];
            }
            return taken;
        }
        var suffixSpent = 0;
        var suffixTaken = TakeSuffix(suffixRoom, 0, ref suffixSpent);
        var prefixSpent = 0;
        var prefixStart = prefixLines.Length - 1;
        while (prefixStart > 0 && prefixSpent + lineCosts.Prefix[prefixStart - 1] <= room - suffixSpent)
        {
            prefixStart--;
            prefixSpent += lineCosts.Prefix[prefixStart];
        }
        suffixTaken = TakeSuffix(room - prefixSpent, suffixTaken, ref suffixSpent);

        // Line costs counted one by one can differ slightly from the joined text's; drop far lines until it really fits.
        while (true)
        {
            var candidate = current with
            {
                Prefix = string.Concat(prefixLines[prefixStart..]),
                Suffix = string.Concat(suffixLines[..(suffixTaken + 1)]),
            };
            if (Cost(candidate) <= budgetTokens)
            {
                return candidate;
            }
            if (prefixStart < prefixLines.Length - 1 && (suffixTaken == 0 || prefixSpent >= suffixSpent))
            {
                prefixSpent -= lineCosts.Prefix[prefixStart];
                prefixStart++;
            }
            else if (suffixTaken > 0)
            {
                suffixSpent -= lineCosts.Suffix[suffixTaken];
                suffixTaken--;
            }
            else
            {
                throw new ModelException($"The lines at the cursor do not fit in the {budgetTokens} tokens the model's context leaves for the prompt.");
            }
        }
    }

    /// <summary>Splits text into lines that keep their '\n'; always at least one element.</summary>
    internal static string[] SplitKeepingNewlines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        lines.Add(text[start..]);
        return lines.ToArray();
    }
}
