namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// Where a completion goes, as post-processing sees it: the cursor line split at the cursor, the lines after it, the
/// document's indentation unit and line break, and whether the site takes more than one line. Texts carry no line breaks.
/// </summary>
internal sealed record InsertionPoint
{
    /// <summary>The cursor line up to the cursor.</summary>
    public required string LinePrefix { get; init; }

    /// <summary>The cursor line after the cursor.</summary>
    public required string LineSuffix { get; init; }

    /// <summary>The lines after the cursor line, nearest first (a few are enough).</summary>
    public IReadOnlyList<string> FollowingLines { get; init; } = [];

    /// <summary>One level of indentation in the document: a tab or some spaces.</summary>
    public string IndentUnit { get; init; } = "    ";

    public bool MultiLine { get; init; }

    public string LineBreak { get; init; } = "\n";

    /// <summary>The cursor line's leading whitespace.</summary>
    public string LineIndentation
    {
        get
        {
            var line = LinePrefix + LineSuffix;
            return line[..(line.Length - line.TrimStart(' ', '\t').Length)];
        }
    }

    /// <summary>The first following line with anything but whitespace on it, or null.</summary>
    public string? NextNonEmptyLine => FollowingLines.FirstOrDefault(l => l.Trim().Length > 0);

    /// <summary>Columns of leading whitespace, a tab counting as one indentation unit's width.</summary>
    public int Width(string line)
    {
        var tabWidth = IndentUnit == "\t" ? 4 : Math.Max(1, IndentUnit.Length);
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                width++;
            }
            else if (c == '\t')
            {
                width += tabWidth;
            }
            else
            {
                break;
            }
        }
        return width;
    }

    private const int FollowingLineCount = 8;

    /// <summary>The point at <paramref name="cursor"/> in <paramref name="text"/> (any line breaks).</summary>
    public static InsertionPoint At(string text, int cursor, bool multiLine, string indentUnit)
    {
        var lineStart = text.AsSpan(0, cursor).LastIndexOfAny('\n', '\r') + 1;
        var lineEndOffset = text.AsSpan(cursor).IndexOfAny('\n', '\r');
        var lineEnd = lineEndOffset < 0 ? text.Length : cursor + lineEndOffset;
        var following = new List<string>();
        var position = lineEnd;
        while (following.Count < FollowingLineCount && position < text.Length)
        {
            position += text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
            var next = text.AsSpan(position).IndexOfAny('\n', '\r');
            var end = next < 0 ? text.Length : position + next;
            following.Add(text[position..end]);
            position = end;
        }
        return new InsertionPoint
        {
            LinePrefix = text[lineStart..cursor],
            LineSuffix = text[cursor..lineEnd],
            FollowingLines = following,
            IndentUnit = indentUnit,
            MultiLine = multiLine,
            LineBreak = LineBreakOf(text, lineEnd),
        };
    }

    /// <summary>The break ending the cursor line, else the document's first, else '\n'.</summary>
    private static string LineBreakOf(string text, int lineEnd)
    {
        var at = lineEnd < text.Length ? lineEnd : text.AsSpan().IndexOfAny('\n', '\r');
        return at < 0 ? "\n" : text[at] == '\n' ? "\n" : at + 1 < text.Length && text[at + 1] == '\n' ? "\r\n" : "\r";
    }

    /// <summary>
    /// The lexical guess for documents the context engine does not analyse (buffers that are not files): several lines
    /// where the cursor line holds nothing but indentation, or ends with what opens a block and only closers follow.
    /// </summary>
    public static bool MultiLineByIndentation(string linePrefix, string lineSuffix) =>
        lineSuffix.Trim().Trim(')', ']', '}', ';').Length == 0 && (linePrefix.Trim().Length == 0 || StopRules.OpensBlock(linePrefix));

    /// <summary>The lexical guess of a document's indentation unit: tabs when more lines start with one, else the
    /// smallest indentation of at least two spaces that two lines or more have.</summary>
    public static string IndentUnitOf(string text)
    {
        int tabs = 0, spaced = 0, lines = 0;
        var widths = new Dictionary<int, int>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (++lines > 2000)
            {
                break;
            }
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                continue;
            }
            if (line[0] == '\t')
            {
                tabs++;
            }
            else if (line[0] == ' ')
            {
                spaced++;
                var width = line.Length - line.TrimStart(' ').Length;
                widths[width] = widths.GetValueOrDefault(width) + 1;
            }
        }
        if (tabs > spaced)
        {
            return "\t";
        }
        var unit = widths.Where(w => w.Key >= 2 && w.Value >= 2).Select(w => w.Key).DefaultIfEmpty(4).Min();
        return new string(' ', Math.Min(unit, 8));
    }

    /// <summary>Width of one indentation level.</summary>
    public int UnitWidth => IndentUnit == "\t" ? 4 : Math.Max(1, IndentUnit.Length);
}
