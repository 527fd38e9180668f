using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// How an open document's tree differs from the older tree the compilation holds for it, when queries can bind the
/// difference without compiling the new tree: Roslyn builds again every source symbol a query touches in a new
/// compilation (25-60 ms a keystroke on keepass2, 150 ms on mono), while the old one has them built. The texts are
/// equal before <see cref="ChangeStart"/> and after the change, so positions there map between the trees.
/// </summary>
/// <param name="CompiledMember">What holds the change in the compiled tree: a member (<see cref="BodyEdit"/>) or a type (<see cref="DeclarationEdit"/>).</param>
/// <param name="EditedMember">The same in the edited tree.</param>
internal abstract record PendingEdit(SyntaxNode CompiledMember, SyntaxNode EditedMember, int ChangeStart, int CompiledChangeEnd, int EditedChangeEnd)
{
    /// <summary>Characters the edit added (negative: removed); positions after it shift by this much.</summary>
    public int Delta => EditedChangeEnd - CompiledChangeEnd;

    /// <summary>The compiled tree's position for an edited-document position outside the edited region.</summary>
    public int ToCompiled(int position) => position < ChangeStart ? position : Math.Max(ChangeStart, position - Delta);

    /// <summary>What changed, in the edited tree: from <see cref="ChangeStart"/> to <see cref="EditedChangeEnd"/>.</summary>
    public TextSpan EditedSpan => TextSpan.FromBounds(ChangeStart, EditedChangeEnd);

    /// <summary>Whether <paramref name="span"/> of the edited tree shares a character with what changed, or holds a removal.</summary>
    public bool Touches(TextSpan span) => span.End > ChangeStart && span.Start < EditedChangeEnd;

    /// <summary>
    /// The edit from <paramref name="compiled"/> to <paramref name="edited"/> when it lies inside one member body
    /// (<see cref="BodyEdit"/>), else inside one type's member list outside bodies (<see cref="DeclarationEdit"/>);
    /// null when neither holds it, and the edited tree is to be compiled.
    /// </summary>
    public static PendingEdit? Find(SyntaxTree compiled, SyntaxTree edited, CancellationToken cancellationToken)
    {
        var compiledText = compiled.GetText(cancellationToken).ToString();
        var editedText = edited.GetText(cancellationToken).ToString();
        var (prefix, suffix) = EditedText.CommonEnds(compiledText, editedText);
        int compiledEnd = compiledText.Length - suffix;
        int editedEnd = editedText.Length - suffix;
        var compiledRoot = compiled.GetRoot(cancellationToken);
        var editedRoot = edited.GetRoot(cancellationToken);
        return (PendingEdit?)BodyEdit.Find(compiledRoot, editedRoot, prefix, compiledEnd, editedEnd)
            ?? DeclarationEdit.Find(compiledRoot, editedRoot, prefix, compiledEnd, editedEnd);
    }

    /// <summary>
    /// Whether <paramref name="compiled"/> and <paramref name="edited"/>, around an edit ending at <paramref name="compiledEnd"/>
    /// and <paramref name="editedEnd"/>, are the same node in both trees: same start, same kind, same distance from the edit to its end.
    /// </summary>
    protected static bool IsSameNode(SyntaxNode compiled, SyntaxNode edited, int compiledEnd, int editedEnd) =>
        compiled.SpanStart == edited.SpanStart && compiled.RawKind == edited.RawKind && compiled.Span.End - compiledEnd == edited.Span.End - editedEnd;
}
