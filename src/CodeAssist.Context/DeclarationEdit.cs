using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// An open document whose text differs from the tree in the compilation only inside one type's member list, outside
/// every body: a field, a signature, a property or an attribute being typed. What the compiled tree has of a member is
/// never removed or replaced, only added to, so no compiled symbol answers for text the client no longer has (a deleted
/// signature's parameters: the benchmark's truncated lines would leak back). The compilation keeps the older tree, whose
/// symbols earlier queries built; a query binds each name the edit holds alone in the type's scope there
/// (<see cref="ScopePosition"/>), and the rest in the compiled tree, whose text there is the same.
/// A new member is not in the compilation until the edit reaches a body or another document changes
/// (<see cref="ContextEngine.OpenOrChange"/>): only a name typed in a body can refer to it.
/// </summary>
/// <param name="CompiledMember">The type whose member list holds the change, in the compiled tree.</param>
/// <param name="EditedMember">The same type in the edited tree.</param>
internal sealed record DeclarationEdit(SyntaxNode CompiledMember, SyntaxNode EditedMember, int ChangeStart, int CompiledChangeEnd, int EditedChangeEnd)
    : PendingEdit(CompiledMember, EditedMember, ChangeStart, CompiledChangeEnd, EditedChangeEnd)
{
    /// <summary>Where in the compiled tree the edit's names bind: just inside the type's opening brace, in its scope and no member's.</summary>
    public int ScopePosition => ((TypeDeclarationSyntax)CompiledMember).OpenBraceToken.Span.End;

    /// <summary>Whether <paramref name="position"/> of the edited tree is in what changed, or at either end of it.</summary>
    public bool Holds(int position) => ChangeStart <= position && position <= EditedChangeEnd;

    /// <summary>
    /// The edit when [<paramref name="start"/>, <paramref name="compiledEnd"/>) of the compiled tree and [<paramref name="start"/>,
    /// <paramref name="editedEnd"/>) of the edited one lie inside the braces of the same type in both, touch no body and
    /// no nested type of the edited one, and remove or replace nothing of a member of the compiled one; null otherwise.
    /// </summary>
    public static DeclarationEdit? Find(SyntaxNode compiledRoot, SyntaxNode editedRoot, int start, int compiledEnd, int editedEnd)
    {
        var compiledType = TypeAround(compiledRoot, start, compiledEnd);
        var editedType = TypeAround(editedRoot, start, editedEnd);
        if (compiledType is null || editedType is null || !IsSameNode(compiledType, editedType, compiledEnd, editedEnd)) return null;
        var compiledRegion = TextSpan.FromBounds(start, compiledEnd);
        if (!compiledRegion.IsEmpty && compiledType.Members.Any(m => Overlaps(m.Span, compiledRegion))
            || TouchesBody(editedType, TextSpan.FromBounds(start, editedEnd))) return null;
        return new DeclarationEdit(compiledType, editedType, start, compiledEnd, editedEnd);
    }

    /// <summary>The innermost class, struct, interface or record whose braces hold [start, end].</summary>
    private static TypeDeclarationSyntax? TypeAround(SyntaxNode root, int start, int end)
    {
        for (var node = root.FindToken(start).Parent; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax { OpenBraceToken.IsMissing: false, CloseBraceToken.IsMissing: false } type
                && type.OpenBraceToken.Span.End <= start && end <= type.CloseBraceToken.SpanStart)
                return type;
        }
        return null;
    }

    /// <summary>
    /// Whether a body (a block: what binds with locals and statements) or a nested type or delegate overlaps
    /// <paramref name="region"/>. A block the parser only expects (a signature still being typed) is none.
    /// </summary>
    private static bool TouchesBody(TypeDeclarationSyntax type, TextSpan region) =>
        type.DescendantNodes(region).Any(n => n is BlockSyntax { OpenBraceToken.IsMissing: false } or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
            && Overlaps(n.Span, region));

    /// <summary>Whether <paramref name="span"/> shares a character with <paramref name="region"/>, or for an empty region, surrounds it.</summary>
    private static bool Overlaps(TextSpan span, TextSpan region) =>
        region.IsEmpty ? span.Start < region.Start && region.Start < span.End : span.Start < region.End && region.Start < span.End;
}
