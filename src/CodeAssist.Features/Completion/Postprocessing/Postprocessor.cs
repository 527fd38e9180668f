namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>A completion ready to show: its text in the document's style, and how many characters after the cursor it replaces.</summary>
internal sealed record ProcessedCompletion(string Text, int Retyped);

/// <summary>
/// The post-processing steps in order: single or multi-line (<see cref="LineMode"/>), where to stop
/// (<see cref="StopRules"/>), what repeats the suffix (<see cref="SuffixTrim"/>), the document's indentation and line
/// break (<see cref="IndentationMatch"/>). Raw model text may use any line break; the steps see '\n' only.
/// </summary>
internal static class Postprocessor
{
    /// <summary>Whether the text generated so far already has its end: generating more cannot change the result.</summary>
    public static bool IsFinished(string generated, InsertionPoint point)
    {
        var text = Normalize(generated);
        return LineMode.Cut(text, point) < text.Length || StopRules.Cut(text, point, final: false) < text.Length;
    }

    /// <summary>The completion to show, or null when nothing of it is worth showing.</summary>
    public static ProcessedCompletion? Process(string generated, InsertionPoint point)
    {
        var text = Normalize(generated);
        text = text[..LineMode.Cut(text, point)];
        text = text[..StopRules.Cut(text, point, final: true)];
        var (trimmed, retyped) = SuffixTrim.Apply(text, point);
        var styled = IndentationMatch.Apply(trimmed, point);
        if (styled.Trim().Length == 0 || styled == point.LineSuffix[..retyped])
        {
            return null;
        }
        return new ProcessedCompletion(styled, retyped);
    }

    private static string Normalize(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
}
