namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// Where a completion should end, whatever the model would add: a bracket closing something opened before the cursor line
/// (or not matching), the end of a statement on a single line, a line that leaves the cursor's block (dedent), and a line
/// repeating the one that already follows the cursor. Each rule fires only on complete evidence — with
/// <c>final: false</c> a rule that needs a whole line waits for its line break — so streaming can stop generating the
/// moment a cut is known.
/// </summary>
internal static class StopRules
{
    /// <summary>How much of <paramref name="text"/> (line breaks as '\n') to keep.</summary>
    public static int Cut(string text, InsertionPoint point, bool final)
    {
        var cut = Brackets(text, point);
        if (point.MultiLine)
        {
            cut = Math.Min(cut, Block(text, point, final));
            cut = Math.Min(cut, RepeatedNextLine(text, point, final));
        }
        return cut;
    }

    /// <summary>
    /// A closer that matches nothing open on the cursor line or in the completion ends the completion before it: it would
    /// close the enclosing call or block, which the document already closes. On a single line, a ';' with nothing open
    /// ends the statement and the completion after it.
    /// </summary>
    private static int Brackets(string text, InsertionPoint point)
    {
        var scanner = CodeScanner.After(point.LinePrefix);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (scanner.InCode)
            {
                if (CodeScanner.IsCloser(c) && !scanner.Closes(c))
                {
                    return i;
                }
                if (c == ';' && !point.MultiLine && scanner.Open.Count == 0)
                {
                    return i + 1;
                }
            }
            scanner.Read(c);
        }
        return text.Length;
    }

    /// <summary>
    /// The block the completion belongs to: lines indented less leave it. A line that closes the block the cursor line
    /// opens (<c>if (x) {</c> ⏎ … ⏎ <c>}</c>) is kept unless the document already closes it right after the cursor.
    /// </summary>
    private static int Block(string text, InsertionPoint point, bool final)
    {
        var lines = text.Split('\n');
        var lineIndent = point.Width(point.LineIndentation);
        var opensBlock = OpensBlock(point.LinePrefix);
        var blockIndent = point.LinePrefix.Trim().Length == 0 ? point.Width(point.LinePrefix + lines[0])
            : opensBlock ? lineIndent + point.UnitWidth
            : lineIndent;
        var offset = lines[0].Length + 1;
        for (var i = 1; i < lines.Length; offset += lines[i].Length + 1, i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                continue;
            }
            var width = point.Width(line);
            if (width >= blockIndent)
            {
                continue;
            }
            var closesOpenedBlock = opensBlock && CodeScanner.IsCloser(trimmed[0]) && width >= lineIndent;
            if (!closesOpenedBlock)
            {
                return offset - 1;
            }
            var complete = i < lines.Length - 1 || final;
            if (!complete)
            {
                return text.Length;
            }
            var next = point.NextNonEmptyLine;
            var alreadyClosed = next is not null && point.Width(next) == width && next.TrimStart().StartsWith(trimmed[0]);
            return alreadyClosed ? offset - 1 : Math.Min(text.Length, offset + line.Length);
        }
        return text.Length;
    }

    /// <summary>The first completion line that repeats the document's next non-empty line, and what follows it, go.</summary>
    private static int RepeatedNextLine(string text, InsertionPoint point, bool final)
    {
        var next = point.NextNonEmptyLine?.Trim();
        if (string.IsNullOrEmpty(next))
        {
            return text.Length;
        }
        var lines = text.Split('\n');
        var offset = 0;
        for (var i = 0; i < lines.Length; offset += lines[i].Length + 1, i++)
        {
            var complete = i < lines.Length - 1 || final;
            var startsALine = i > 0 || point.LinePrefix.Trim().Length == 0 && point.LineSuffix.Trim().Length == 0;
            if (complete && startsALine && lines[i].Trim() == next)
            {
                return Math.Max(0, offset - 1);
            }
        }
        return text.Length;
    }

    /// <summary>Whether a line ending this way opens a block the next lines indent under.</summary>
    public static bool OpensBlock(string linePrefix)
    {
        var trimmed = linePrefix.TrimEnd();
        return trimmed.Length > 0 && (CodeScanner.IsOpener(trimmed[^1]) || trimmed[^1] == ':' || trimmed.EndsWith("=>", StringComparison.Ordinal));
    }
}
