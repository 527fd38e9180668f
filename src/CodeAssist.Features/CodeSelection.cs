using CodeAssist.Context;

namespace CodeAssist.Features;

/// <summary>
/// A span of a document the user pointed at: the document's path and whole text (the client's, when it is open) and
/// UTF-16 offsets into it, start ≤ end. The server turns LSP positions into these offsets; features give results back
/// in offsets of the same text (edits) or in line spans of other files (references).
/// </summary>
public sealed record CodeSelection(string Path, string DocumentText, int Start, int End, CodeLanguage Language)
{
    public string Text => DocumentText[Start..End];

    public bool IsBlank => string.IsNullOrWhiteSpace(Text);

    /// <summary>0-based lines and UTF-16 characters of the selection, end exclusive.</summary>
    public SourceSpan Span => SpanOf(DocumentText, Start, End);

    /// <summary>The selection's first and last line, 1-based, as prompts and people name lines.</summary>
    public (int First, int Last) Lines
    {
        get
        {
            var span = Span;
            int last = span.EndCharacter == 0 && span.EndLine > span.StartLine ? span.EndLine : span.EndLine + 1;
            return (span.StartLine + 1, last);
        }
    }

    public CodeSelection WithSpan(int start, int end) => this with { Start = start, End = end };

    public static SourceSpan SpanOf(string text, int start, int end)
    {
        var (startLine, startCharacter) = LineAndCharacter(text, start);
        var (endLine, endCharacter) = LineAndCharacter(text, end);
        return new SourceSpan(startLine, startCharacter, endLine, endCharacter);
    }

    private static (int Line, int Character) LineAndCharacter(string text, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n' || text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart);
    }
}
