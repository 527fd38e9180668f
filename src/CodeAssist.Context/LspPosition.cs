using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// Where an LSP position (0-based line, UTF-16 character) is in a text. LSP ends lines at CR, LF and CRLF only; Roslyn's
/// <see cref="SourceText.Lines"/> also at U+0085, U+2028 and U+2029, so in a text holding one of those (pasted from a web
/// page or a word processor; U+0085 from a Latin-1 file) Roslyn's line numbers after it are not the client's.
/// </summary>
internal static class LspPosition
{
    /// <summary>What Roslyn takes for a line break (<c>\r\n</c> is one): the lines of a <see cref="SourceText"/>.</summary>
    public static readonly SearchValues<char> RoslynBreaks = SearchValues.Create("\r\n\u0085\u2028\u2029");

    private static readonly SearchValues<char> s_otherBreaks = SearchValues.Create("\u0085\u2028\u2029");

    // Whether a text holds a break only Roslyn counts, found once per text: a query asks at each keystroke.
    private static readonly ConditionalWeakTable<SourceText, StrongBox<bool>> s_otherBreaksIn = [];

    private static bool HasOtherBreaks(SourceText text) =>
        s_otherBreaksIn.GetValue(text, t => new StrongBox<bool>(t.ToString().AsSpan().IndexOfAny(s_otherBreaks) >= 0)).Value;

    /// <summary>
    /// The offset of <paramref name="line"/> and <paramref name="character"/> in <paramref name="text"/>, clamped as
    /// LSP asks: a character past the line's end means its end (before its break), a line past the last the text's end.
    /// </summary>
    public static int Offset(SourceText text, int line, int character)
    {
        if (line < 0) return 0;
        if (!HasOtherBreaks(text))
        {
            if (line >= text.Lines.Count) return text.Length;
            var roslynLine = text.Lines[line];
            return roslynLine.Start + Math.Clamp(character, 0, roslynLine.Span.Length);
        }
        var span = text.ToString().AsSpan();
        int start = 0;
        for (int skipped = 0; skipped < line; skipped++)
        {
            int found = span[start..].IndexOfAny('\r', '\n');
            if (found < 0) return span.Length;
            start += found;
            start += span[start] == '\r' && start + 1 < span.Length && span[start + 1] == '\n' ? 2 : 1;
        }
        int length = span[start..].IndexOfAny('\r', '\n');
        return start + Math.Clamp(character, 0, length < 0 ? span.Length - start : length);
    }

    /// <summary>The LSP position of <paramref name="offset"/> in <paramref name="text"/>.</summary>
    public static LinePosition Position(SourceText text, int offset)
    {
        if (!HasOtherBreaks(text)) return text.Lines.GetLinePosition(offset);
        var before = text.ToString().AsSpan(0, offset);
        int line = 0, lineStart = 0;
        for (int at = 0, found; (found = before[at..].IndexOfAny('\r', '\n')) >= 0;)
        {
            at += found;
            // A CR whose LF is at the offset: the offset is still on this line, between the two.
            if (before[at] == '\r' && at + 1 == before.Length && offset < text.Length && text[offset] == '\n') break;
            at += before[at] == '\r' && at + 1 < before.Length && before[at + 1] == '\n' ? 2 : 1;
            (line, lineStart) = (line + 1, at);
        }
        return new LinePosition(line, offset - lineStart);
    }

    /// <summary>The LSP range of <paramref name="span"/> in <paramref name="text"/>.</summary>
    public static SourceSpan Range(SourceText text, TextSpan span)
    {
        var (start, end) = (Position(text, span.Start), Position(text, span.End));
        return new SourceSpan(start.Line, start.Character, end.Line, end.Character);
    }
}
