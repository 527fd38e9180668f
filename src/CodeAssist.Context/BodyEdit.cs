using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// An open document whose text differs from the tree in the compilation only inside one member body. Such edits
/// (nearly every keystroke) leave the compilation alone: queries bind the edited member speculatively against the
/// compiled tree, whose symbols are already built, and everything outside it in the compiled tree itself, whose text
/// there is identical. Replacing the tree instead would make Roslyn rebuild every source symbol a query touches.
/// </summary>
internal sealed record BodyEdit(SyntaxNode CompiledMember, SyntaxNode EditedMember, int ChangeStart, int CompiledChangeEnd, int EditedChangeEnd)
    : PendingEdit(CompiledMember, EditedMember, ChangeStart, CompiledChangeEnd, EditedChangeEnd)
{
    /// <summary>
    /// The edit when [<paramref name="start"/>, <paramref name="compiledEnd"/>) of the compiled tree and [<paramref name="start"/>,
    /// <paramref name="editedEnd"/>) of the edited one lie strictly inside one method or accessor body of both trees; null otherwise.
    /// </summary>
    public static BodyEdit? Find(SyntaxNode compiledRoot, SyntaxNode editedRoot, int start, int compiledEnd, int editedEnd)
    {
        var compiledMember = MemberWithBodyAround(compiledRoot, start, compiledEnd);
        var editedMember = MemberWithBodyAround(editedRoot, start, editedEnd);
        return compiledMember is not null && editedMember is not null && IsSameNode(compiledMember, editedMember, compiledEnd, editedEnd)
            ? new BodyEdit(compiledMember, editedMember, start, compiledEnd, editedEnd)
            : null;
    }

    /// <summary>The outermost method, constructor, operator or accessor whose body strictly contains [start, end).</summary>
    public static SyntaxNode? MemberWithBodyAround(SyntaxNode root, int start, int end)
    {
        SyntaxNode? found = null;
        for (var node = root.FindToken(start).Parent; node is not null; node = node.Parent)
        {
            var body = BodyOf(node);
            if (body is null or BlockSyntax { CloseBraceToken.IsMissing: true }) continue;
            var inside = body is BlockSyntax block
                ? TextSpan.FromBounds(block.OpenBraceToken.Span.End, block.CloseBraceToken.SpanStart)
                : ((ArrowExpressionClauseSyntax)body).Expression.Span;
            if (inside.Start <= start && end <= inside.End) found = node;
        }
        return found;
    }

    /// <summary>The span of a member's block or expression body.</summary>
    public static TextSpan BodySpan(SyntaxNode member) => (BodyOf(member) ?? member).Span;

    /// <summary>
    /// A semantic model for the edited member, bound against the compiled tree's model; null when Roslyn declines or
    /// fails. Expression bodies go through the arrow-clause API: the method-body one dereferences the missing block.
    /// Roslyn's speculative binding throws on shapes it does not expect, so any exception means "compile instead".
    /// </summary>
    public SemanticModel? Speculate(SemanticModel compiledModel) => Speculate(compiledModel, CompiledMember, EditedMember);

    /// <summary>A semantic model for <paramref name="editedMember"/> bound in place of <paramref name="compiledMember"/>; null as for <see cref="Speculate(SemanticModel)"/>.</summary>
    public static SemanticModel? Speculate(SemanticModel compiledModel, SyntaxNode compiledMember, SyntaxNode editedMember)
    {
        var (compiledBody, editedBody) = (BodyOf(compiledMember), BodyOf(editedMember));
        SemanticModel? model = null;
        try
        {
            bool speculated = (compiledBody, editedBody, editedMember) switch
            {
                (ArrowExpressionClauseSyntax compiledArrow, ArrowExpressionClauseSyntax editedArrow, _) =>
                    compiledModel.TryGetSpeculativeSemanticModel(compiledArrow.SpanStart, editedArrow, out model),
                (BlockSyntax compiledBlock, BlockSyntax, BaseMethodDeclarationSyntax method) =>
                    compiledModel.TryGetSpeculativeSemanticModelForMethodBody(InBody(compiledBlock), method, out model),
                (BlockSyntax compiledBlock, BlockSyntax, AccessorDeclarationSyntax accessor) =>
                    compiledModel.TryGetSpeculativeSemanticModelForMethodBody(InBody(compiledBlock), accessor, out model),
                _ => false,
            };
            return speculated ? model : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// A position Roslyn takes as inside the body: after its opening brace, or where a body emptied to <c>{}</c>
    /// (<see cref="BodylessTree"/>) has nothing between its braces, on the opening brace itself.
    /// </summary>
    public static int InBody(BlockSyntax body) =>
        body.OpenBraceToken.Span.End < body.CloseBraceToken.SpanStart ? body.OpenBraceToken.Span.End : body.OpenBraceToken.SpanStart;

    /// <summary>A method's, constructor's, operator's or accessor's block or expression body; null for other nodes.</summary>
    public static SyntaxNode? BodyOf(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
        AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
        _ => null,
    };
}
