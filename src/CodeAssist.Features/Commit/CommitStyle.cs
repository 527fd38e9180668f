using System.Text.RegularExpressions;

namespace CodeAssist.Features.Commit;

/// <summary>
/// How a repository writes its subjects, learnt from its recent ones: conventional commits (<c>type(scope): …</c>) or
/// an area prefix (<c>Context: …</c>) or neither, the types, scopes and areas in use, whether they read as English,
/// imperative ("Add", not "Added"/"Adds"), capitalised, with a final period, and their typical length.
/// </summary>
public sealed partial record CommitStyle(
    bool Conventional,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Areas,
    bool English,
    bool Imperative,
    bool Capitalized,
    bool TrailingPeriod,
    int TypicalLength,
    IReadOnlyList<string> Examples)
{
    /// <summary>With no history: plain English, imperative, capitalised, about 50 characters.</summary>
    public static CommitStyle Default { get; } = new(false, [], [], [], true, true, true, false, 50, []);

    [GeneratedRegex(@"^(?<type>[a-z]+)(\((?<scope>[^)]+)\))?!?: (?<rest>.+)$")]
    private static partial Regex ConventionalPattern();

    [GeneratedRegex(@"^(?<area>[A-Z][\w.\-/ ]{0,30}?): (?<rest>.+)$")]
    private static partial Regex AreaPattern();

    public static CommitStyle From(IReadOnlyList<string> subjects)
    {
        var useful = subjects.Where(s => s.Trim().Length > 0 && !s.StartsWith("Merge ", StringComparison.Ordinal) && !s.StartsWith("Revert \"", StringComparison.Ordinal))
            .Select(s => s.Trim()).ToArray();
        if (useful.Length == 0)
        {
            return Default;
        }

        var conventional = useful.Select(s => ConventionalPattern().Match(s)).Where(m => m.Success).ToArray();
        bool isConventional = conventional.Length * 2 >= useful.Length;
        var areas = isConventional ? [] : useful.Select(s => AreaPattern().Match(s)).Where(m => m.Success).ToArray();
        bool hasAreas = areas.Length * 2 >= useful.Length;

        // The text after any prefix: what mood, case and language are judged on.
        var texts = useful.Select(s => ConventionalPattern().Match(s) is { Success: true } c ? c.Groups["rest"].Value
            : AreaPattern().Match(s) is { Success: true } a ? a.Groups["rest"].Value : s).ToArray();
        var firstWords = texts.Select(t => t.Split(' ', 2)[0]).ToArray();
        int english = texts.Count(t => t.Split(' ').Any(w => CommitVocabulary.IsEnglishWord(w)));
        int imperative = firstWords.Count(w => CommitVocabulary.IsImperativeVerb(w));
        int capitalized = texts.Count(t => char.IsUpper(t[0]));
        int period = texts.Count(t => t.EndsWith('.'));
        var lengths = useful.Select(s => s.Length).Order().ToArray();

        return new CommitStyle(
            isConventional,
            MostUsed(conventional.Select(m => m.Groups["type"].Value), 8),
            MostUsed(conventional.Where(m => m.Groups["scope"].Success).Select(m => m.Groups["scope"].Value), 12),
            hasAreas ? MostUsed(areas.Select(m => m.Groups["area"].Value), 16) : [],
            English: english * 2 >= texts.Length,
            Imperative: imperative * 2 >= texts.Length,
            Capitalized: capitalized * 2 >= texts.Length,
            TrailingPeriod: period * 2 > texts.Length,
            TypicalLength: lengths[lengths.Length / 2],
            useful.Take(10).ToArray());
    }

    private static string[] MostUsed(IEnumerable<string> values, int count) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(count).Select(g => g.Key).ToArray();

    /// <summary>The style in sentences, for the prompt.</summary>
    public string Describe()
    {
        var sentences = new List<string>();
        if (Conventional)
        {
            sentences.Add($"Conventional commits: \"type(scope): summary\" with types such as {string.Join(", ", Types)}" +
                          (Scopes.Count > 0 ? $" and scopes such as {string.Join(", ", Scopes.Take(6))}." : "."));
        }
        else if (Areas.Count > 0)
        {
            sentences.Add($"Subjects start with the area they change and a colon, such as {string.Join(", ", Areas.Take(8).Select(a => a + ":"))}.");
        }
        sentences.Add(English ? "Written in English." : "Written in the language of the examples below, not necessarily English.");
        if (Imperative) sentences.Add("Imperative mood (\"Add\", not \"Added\" or \"Adds\").");
        sentences.Add(Capitalized ? "The summary starts with a capital letter." : "The summary starts in lower case.");
        sentences.Add(TrailingPeriod ? "The subject ends with a period." : "No period at the end of the subject.");
        sentences.Add($"Subjects are typically about {TypicalLength} characters; keep it under {Math.Max(TypicalLength + 20, 50)}.");
        return string.Join(" ", sentences);
    }
}
