using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Documents;

/// <summary>
/// An open document as the client sees it: immutable, so a snapshot can hand it to concurrent readers;
/// each edit makes a new one.
/// </summary>
public sealed class TrackedDocument
{
    private LineIndex? _lines;

    public TrackedDocument(string uri, string languageId, int version, string text)
    {
        Uri = uri;
        LanguageId = languageId;
        Version = version;
        Text = text;
    }

    public string Uri { get; }
    public string LanguageId { get; }
    public int Version { get; }
    public string Text { get; }

    /// <summary>Built on first use; racing readers may build it twice, which is harmless.</summary>
    public LineIndex Lines => _lines ??= new LineIndex(Text);

    /// <summary>Applies the changes of one <c>didChange</c> in order, each against the text the previous one left.</summary>
    public TrackedDocument WithChanges(int version, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        var text = Text;
        var lines = Lines;
        foreach (var change in changes)
        {
            if (change.Range is not { } range)
            {
                text = change.Text;
            }
            else
            {
                var start = lines.ToOffset(text, range.Start);
                var end = Math.Max(start, lines.ToOffset(text, range.End));
                text = string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
            }
            lines = new LineIndex(text);
        }
        return new TrackedDocument(Uri, LanguageId, version, text) { _lines = lines };
    }
}
