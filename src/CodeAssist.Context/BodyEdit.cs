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
{
    /// <summary>Characters the edit added (negative: removed); positions after it shift by this much.</summary>
    public int Delta => EditedChangeEnd - CompiledChangeEnd;

    /// <summary>The compiled tree's position for an edited-document position outside the edited region.</summary>
    public int ToCompiled(int position) => position < ChangeStart ? position : Math.Max(ChangeStart, position - Delta);

    /// <summary>The edit when it lies strictly inside one method or accessor body of both trees; null otherwise.</summary>
    public static BodyEdit? Find(SyntaxTree compiled, SyntaxTree edited, CancellationToken cancellationToken)
    {
        var compiledText = compiled.GetText(cancellationToken);
        var editedText = edited.GetText(cancellationToken);
        int max = Math.Min(compiledText.Length, editedText.Length);
        int prefix = 0;
        while (prefix < max && compiledText[prefix] == editedText[prefix]) prefix++;
        int suffix = 0;
        while (suffix < max - prefix && compiledText[compiledText.Length - 1 - suffix] == editedText[editedText.Length - 1 - suffix]) suffix++;
        int compiledEnd = compiledText.Length - suffix;
        int editedEnd = editedText.Length - suffix;

        var compiledMember = MemberWithBodyAround(compiled.GetRoot(cancellationToken), prefix, compiledEnd);
        var editedMember = MemberWithBodyAround(edited.GetRoot(cancellationToken), prefix, editedEnd);
        if (compiledMember is null || editedMember is null) return null;
        // The same member in both: same start, same kind, same distance from the edit to its end.
        if (compiledMember.SpanStart != editedMember.SpanStart || compiledMember.RawKind != editedMember.RawKind
            || compiledMember.Span.End - compiledEnd != editedMember.Span.End - editedEnd) return null;
        return new BodyEdit(compiledMember, editedMember, prefix, compiledEnd, editedEnd);
    }

    /// <summary>The outermost method, constructor, operator or accessor whose body strictly contains [start, end).</summary>
    private static SyntaxNode? MemberWithBodyAround(SyntaxNode root, int start, int end)
    {
        SyntaxNode? found = null;
        for (var node = root.FindToken(start).Parent; node is not null; node = node.Parent)
        {
            var body = node switch
            {
                BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
                _ => null,
            };
            if (body is null or BlockSyntax { CloseBraceToken.IsMissing: true }) continue;
            var inside = body is BlockSyntax block
                ? TextSpan.FromBounds(block.OpenBraceToken.Span.End, block.CloseBraceToken.SpanStart)
                : ((ArrowExpressionClauseSyntax)body).Expression.Span;
            if (inside.Start <= start && end <= inside.End) found = node;
        }
        return found;
    }

    /// <summary>The span of a member's block or expression body.</summary>
    public static TextSpan BodySpan(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method => ((SyntaxNode?)method.Body ?? method.ExpressionBody)!.Span,
        AccessorDeclarationSyntax accessor => ((SyntaxNode?)accessor.Body ?? accessor.ExpressionBody)!.Span,
        _ => member.Span,
    };

    /// <summary>A semantic model for the edited member, bound against the compiled tree's model; null when Roslyn declines.</summary>
    public SemanticModel? Speculate(SemanticModel compiledModel)
    {
        int position = CompiledMember switch
        {
            BaseMethodDeclarationSyntax { Body: { } body } => body.OpenBraceToken.Span.End,
            BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
            AccessorDeclarationSyntax { Body: { } body } => body.OpenBraceToken.Span.End,
            AccessorDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
            _ => -1,
        };
        SemanticModel? model = null;
        bool speculated = EditedMember switch
        {
            BaseMethodDeclarationSyntax method => compiledModel.TryGetSpeculativeSemanticModelForMethodBody(position, method, out model),
            AccessorDeclarationSyntax accessor => compiledModel.TryGetSpeculativeSemanticModelForMethodBody(position, accessor, out model),
            _ => false,
        };
        return speculated ? model : null;
    }
}
