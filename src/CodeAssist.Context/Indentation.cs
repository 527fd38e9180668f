using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>How a document indents and breaks lines, so a completion can be written the same way.</summary>
internal static class Indentation
{
    // Enough lines to see a file's habit; a 5 MB file is not read whole for it.
    private const int LinesSampled = 4000;

    /// <summary>The leading whitespace of the position's line.</summary>
    public static string OfLine(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        int end = line.Start;
        while (end < line.End && text[end] is ' ' or '\t') end++;
        return text.ToString(TextSpan.FromBounds(line.Start, end));
    }

    /// <summary>Columns of a line's leading whitespace, a tab counted as four.</summary>
    public static int Width(SourceText text, TextLine line)
    {
        int width = 0;
        for (int i = line.Start; i < line.End && text[i] is ' ' or '\t'; i++) width += text[i] == '\t' ? 4 : 1;
        return width;
    }

    /// <summary>
    /// <c>"\t"</c> when more lines start with a tab than with spaces; otherwise the step most often seen between the
    /// indentation of consecutive lines (2 to 8 spaces), four when there is none.
    /// </summary>
    public static string UnitOf(SourceText text)
    {
        int tabLines = 0, spaceLines = 0, previousWidth = 0;
        var steps = new int[9];
        int count = Math.Min(text.Lines.Count, LinesSampled);
        for (int i = 0; i < count; i++)
        {
            var line = text.Lines[i];
            if (line.Span.IsEmpty || string.IsNullOrWhiteSpace(text.ToString(line.Span))) continue;
            char first = text[line.Start];
            if (first == '\t') { tabLines++; continue; }
            int width = 0;
            while (line.Start + width < line.End && text[line.Start + width] == ' ') width++;
            if (width > 0) spaceLines++;
            int step = Math.Abs(width - previousWidth);
            if (step is >= 2 and <= 8) steps[step]++;
            previousWidth = width;
        }
        if (tabLines > spaceLines) return "\t";
        int best = 4;
        for (int step = 2; step <= 8; step++)
        {
            if (steps[step] > steps[best]) best = step;
        }
        return new string(' ', best);
    }

    /// <summary>The first line break of the document, <c>"\n"</c> when it has none.</summary>
    public static string NewLineOf(SourceText text)
    {
        foreach (var line in text.Lines)
        {
            if (line.EndIncludingLineBreak > line.End) return text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak));
        }
        return "\n";
    }
}
