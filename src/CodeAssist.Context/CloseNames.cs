namespace CodeAssist.Context;

/// <summary>
/// The names a misspelt identifier most likely meant: the same letters in another case first, then few edits
/// (insertions, deletions, substitutions, swaps of neighbours), then camel humps the writer abbreviated or left out
/// (<c>GetTitle</c> for <c>GetBookTitle</c>). Names too far from what was written are not offered at all.
/// </summary>
internal static class CloseNames
{
    public static IReadOnlyList<string> Rank(string written, IEnumerable<string> names, int max)
    {
        var ranked = new List<(string Name, int Score)>();
        foreach (var name in names)
        {
            if (name == written) continue;
            if (Score(written, name) is { } score) ranked.Add((name, score));
        }
        // Among equally close names, the one whose letters differ from the written ones in case the least.
        return ranked.OrderBy(r => r.Score).ThenBy(r => Math.Abs(r.Name.Length - written.Length))
            .ThenBy(r => EditDistance(written, r.Name, int.MaxValue - 1, ignoreCase: false)).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(max).Select(r => r.Name).ToArray();
    }

    /// <summary>Lower is closer; null when the names are unrelated.</summary>
    private static int? Score(string written, string name)
    {
        if (string.Equals(written, name, StringComparison.OrdinalIgnoreCase)) return 0;
        int allowed = written.Length <= 4 ? 1 : written.Length <= 8 ? 2 : 3;
        int distance = EditDistance(written, name, allowed);
        if (distance <= allowed) return 1 + distance;
        if (HumpsSkipped(written, name) is { } skipped) return 2 + allowed + skipped;
        return null;
    }

    /// <summary>Optimal string alignment distance (case-insensitive unless asked), or <paramref name="limit"/> + 1 once it is certainly larger.</summary>
    private static int EditDistance(string a, string b, int limit, bool ignoreCase = true)
    {
        bool Same(char x, char y) => ignoreCase ? char.ToLowerInvariant(x) == char.ToLowerInvariant(y) : x == y;
        if (Math.Abs(a.Length - b.Length) > limit) return limit + 1;
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMinimum = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }
            if (rowMinimum > limit) return limit + 1;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// When each hump written is the start of a hump of the name, in order and starting with the first: how many of
    /// the name's humps were left out; otherwise null.
    /// </summary>
    private static int? HumpsSkipped(string written, string name)
    {
        var writtenHumps = Humps(written);
        var nameHumps = Humps(name);
        if (writtenHumps.Count == 0 || writtenHumps.Count > nameHumps.Count) return null;
        if (!nameHumps[0].StartsWith(writtenHumps[0], StringComparison.OrdinalIgnoreCase)) return null;
        int matched = 1;
        for (int j = 1; j < nameHumps.Count && matched < writtenHumps.Count; j++)
        {
            if (nameHumps[j].StartsWith(writtenHumps[matched], StringComparison.OrdinalIgnoreCase)) matched++;
        }
        return matched == writtenHumps.Count ? nameHumps.Count - writtenHumps.Count : null;
    }

    /// <summary><c>GetHTTPStatus2</c> → Get, HTTP, Status, 2; underscores separate.</summary>
    private static List<string> Humps(string identifier)
    {
        var humps = new List<string>();
        int start = -1;
        for (int i = 0; i <= identifier.Length; i++)
        {
            bool boundary = i == identifier.Length || identifier[i] == '_'
                || i > 0 && char.IsUpper(identifier[i]) && (char.IsLower(identifier[i - 1]) || char.IsDigit(identifier[i - 1])
                    || i + 1 < identifier.Length && char.IsUpper(identifier[i - 1]) && char.IsLower(identifier[i + 1]))
                || i > 0 && char.IsDigit(identifier[i]) != char.IsDigit(identifier[i - 1]);
            if (boundary && start >= 0)
            {
                humps.Add(identifier[start..i]);
                start = -1;
            }
            if (i < identifier.Length && identifier[i] != '_' && start < 0) start = i;
        }
        return humps;
    }
}
