namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// Single or multi-line, as the site decides: where one line is wanted (inside an expression, a line that already holds
/// code), the completion ends at its first line break, and one that would only start on the next line gives nothing.
/// A cut is final as soon as the line break is generated, so streaming can stop there.
/// </summary>
internal static class LineMode
{
    /// <summary>How much of <paramref name="text"/> (line breaks as '\n') the site keeps.</summary>
    public static int Cut(string text, InsertionPoint point)
    {
        if (point.MultiLine)
        {
            return text.Length;
        }
        var lineBreak = text.IndexOf('\n', StringComparison.Ordinal);
        return lineBreak < 0 ? text.Length : lineBreak;
    }
}
