namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// What the completion repeats of the text after the cursor. On one line: a completion that ends with the rest of the line
/// replaces it (the item's range then covers it, so accepting does not double it); one that ends with the first closing
/// characters of the rest of the line (<c>)</c>, <c>);</c>, <c>"</c>) loses them. Over several lines: trailing lines
/// equal to the lines that follow the cursor, or to the rest of the cursor line, are dropped.
/// </summary>
internal static class SuffixTrim
{
    private const string Closing = ")]}\"'`;,";

    /// <returns>The text, and how many characters of the line suffix the item replaces.</returns>
    public static (string Text, int Retyped) Apply(string text, InsertionPoint point)
    {
        var rest = point.LineSuffix.TrimEnd();
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            if (rest.Length == 0)
            {
                return (text, 0);
            }
            if (text.EndsWith(rest, StringComparison.Ordinal))
            {
                return (text, rest.Length);
            }
            for (var overlap = Math.Min(text.Length, rest.Length); overlap > 0; overlap--)
            {
                if (rest.AsSpan(0, overlap).IndexOfAnyExcept(Closing) < 0 && text.EndsWith(rest[..overlap], StringComparison.Ordinal))
                {
                    return (text[..^overlap], 0);
                }
            }
            return (text, 0);
        }

        var lines = text.Split('\n').ToList();
        if (rest.Trim().Length > 0 && lines.Count > 1 && lines[^1].Trim() == rest.Trim())
        {
            lines.RemoveAt(lines.Count - 1);
        }
        var following = point.FollowingLines.Select(l => l.Trim()).ToArray();
        for (var repeated = Math.Min(lines.Count - 1, following.Length); repeated > 0; repeated--)
        {
            var tail = lines.Skip(lines.Count - repeated).Select(l => l.Trim());
            if (tail.SequenceEqual(following.Take(repeated)) && tail.Any(l => l.Length > 0))
            {
                lines.RemoveRange(lines.Count - repeated, repeated);
                break;
            }
        }
        return (string.Join('\n', lines), 0);
    }
}
