using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The client's new text of a document as one flat string that still tells Roslyn its one change from the text before,
/// so the tree is reparsed incrementally. Roslyn's own <c>SourceText.WithChanges</c> would do that too, but builds a
/// chain of composite texts, one link per keystroke, whose every character read is a search through the links.
/// </summary>
internal sealed class EditedText : SourceText
{
    private readonly string _text;
    // Weak: a strong link would keep every earlier text of the document alive. Once it is gone, the change is unknown
    // and Roslyn parses the whole text, which is only slower.
    private readonly WeakReference<SourceText> _previous;
    private readonly TextChangeRange _change;

    public EditedText(string text, SourceText previous)
        : base(checksumAlgorithm: previous.ChecksumAlgorithm)
    {
        _text = text;
        _previous = new WeakReference<SourceText>(previous);
        var (prefix, suffix) = CommonEnds(previous.ToString(), text);
        _change = new TextChangeRange(TextSpan.FromBounds(prefix, previous.Length - suffix), text.Length - prefix - suffix);
        Encoding = previous.Encoding;
    }

    public override Encoding? Encoding { get; }

    public override int Length => _text.Length;

    public override char this[int position] => _text[position];

    public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count) =>
        _text.CopyTo(sourceIndex, destination, destinationIndex, count);

    public override string ToString() => _text;

    public override string ToString(TextSpan span) => span.Start == 0 && span.Length == _text.Length ? _text : _text.Substring(span.Start, span.Length);

    public override IReadOnlyList<TextChangeRange> GetChangeRanges(SourceText oldText) =>
        _previous.TryGetTarget(out var previous) && previous == oldText ? [_change] : base.GetChangeRanges(oldText);

    /// <summary>
    /// How many characters <paramref name="before"/> and <paramref name="after"/> share at the start, and then at the end
    /// of what is left: the one change that turns one into the other is between them.
    /// </summary>
    public static (int Prefix, int Suffix) CommonEnds(ReadOnlySpan<char> before, ReadOnlySpan<char> after)
    {
        int prefix = before.CommonPrefixLength(after);
        var restBefore = before[prefix..];
        var restAfter = after[prefix..];
        int suffix = 0;
        int max = Math.Min(restBefore.Length, restAfter.Length);
        while (suffix < max && restBefore[^(suffix + 1)] == restAfter[^(suffix + 1)]) suffix++;
        return (prefix, suffix);
    }
}
