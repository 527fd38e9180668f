using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The member at the cursor of an open document of a bodyless repository, grafted into the bodyless tree the compilation
/// holds for it (<see cref="SourceDocument.CompiledBodyless"/>): that tree with this one body from the client's text.
/// The graft differs from the compiled tree inside one body, as a <see cref="BodyEdit"/> does, so a query, a completion
/// site and a check bind it speculatively against a compilation whose symbols earlier queries built, instead of compiling
/// the document's text anew, in which Roslyn builds again every source symbol the query reaches (a class declared across
/// a dozen generated files of megabytes: hundreds of milliseconds). Bodies elsewhere in the document are not in the graft;
/// they declare nothing the member can see.
/// </summary>
/// <param name="Document">The graft as a document: its tree, compiled as the bodyless tree, with the edit between them.</param>
/// <param name="Shift">What to add to a position of the open document inside the member to find it in the graft.</param>
/// <param name="LineShift">What to add to a line of the graft inside the member to find it in the open document.</param>
/// <param name="Open">The open document, its text, and the member grafted, as there.</param>
internal sealed record MemberGraft(SourceDocument Document, SourceText Text, int Shift, int LineShift, SourceDocument Open, SourceText OpenText, SyntaxNode Member)
{
    private static readonly SyntaxAnnotation s_grafted = new();

    /// <summary>
    /// The member whose body holds <paramref name="position"/> of <paramref name="open"/> (of <paramref name="text"/>)
    /// grafted into its compiled bodyless tree; null when the position is in no body, or the bodyless tree does not have
    /// the member where the document does.
    /// </summary>
    public static MemberGraft? Create(SourceDocument open, SourceText text, int position, CancellationToken cancellationToken)
    {
        var tree = open.Tree!;
        var root = tree.GetRoot(cancellationToken);
        if (BodyEdit.MemberWithBodyAround(root, position, position) is not { } member
            || Counterpart(member, open.CompiledTree!.GetRoot(cancellationToken)) is not { } compiled
            || (BodyEdit.BodyOf(member), BodyEdit.BodyOf(compiled)) is not ({ } body, { } compiledBody)
            || body.RawKind != compiledBody.RawKind) return null;

        // The compiled body's opening and its last token's trailing trivia stay, so the texts agree up to the change and
        // after it; what is between is the client's. The opening is where positions of the body map between the trees.
        var (graftedBody, changeStart, compiledOpening, opening) = (body, compiledBody) switch
        {
            (BlockSyntax block, BlockSyntax empty) => ((SyntaxNode)empty
                .WithOpenBraceToken(empty.OpenBraceToken.WithTrailingTrivia(block.OpenBraceToken.TrailingTrivia))
                .WithStatements(block.Statements)
                .WithCloseBraceToken(block.CloseBraceToken.WithTrailingTrivia(empty.CloseBraceToken.TrailingTrivia)),
                BodyEdit.InBody(empty), empty.OpenBraceToken.SpanStart, block.OpenBraceToken.SpanStart),
            (ArrowExpressionClauseSyntax arrow, ArrowExpressionClauseSyntax kept) => (kept
                .WithArrowToken(kept.ArrowToken.WithTrailingTrivia(arrow.ArrowToken.TrailingTrivia))
                .WithExpression(arrow.Expression.WithTrailingTrivia(kept.Expression.GetTrailingTrivia())),
                kept.ArrowToken.Span.End, kept.ArrowToken.SpanStart, arrow.ArrowToken.SpanStart),
            _ => (null, 0, 0, 0),
        };
        if (graftedBody is null) return null;
        var graftRoot = compiled.SyntaxTree.GetRoot(cancellationToken).ReplaceNode(compiledBody, graftedBody.WithAdditionalAnnotations(s_grafted));
        var graftTree = CSharpSyntaxTree.Create((CSharpSyntaxNode)graftRoot, (CSharpParseOptions)tree.Options, tree.FilePath);
        var graftedMember = graftTree.GetRoot(cancellationToken).GetAnnotatedNodes(s_grafted).Single().Parent!;
        var edit = new BodyEdit(compiled, graftedMember, changeStart, compiledBody.Span.End, BodyEdit.BodyOf(graftedMember)!.Span.End);

        var graftText = graftTree.GetText(cancellationToken);
        int lineShift = text.Lines.GetLineFromPosition(opening).LineNumber - graftText.Lines.GetLineFromPosition(compiledOpening).LineNumber;
        return new MemberGraft(SourceDocument.Grafted(open, graftText, graftTree, edit), graftText, compiledOpening - opening, lineShift,
            open, text, member);
    }

    /// <summary>
    /// The bodies of the open document's other members that <paramref name="window"/> (of the open text) holds, each with a
    /// model binding it speculatively in place of its empty body in the compiled tree: what the graft leaves out of the
    /// lines around the cursor. A body whose member the compiled tree does not have where it should is left out.
    /// </summary>
    public IEnumerable<(SyntaxNode Root, TextSpan Span, SemanticModel Model)> Neighbours(SemanticModel compiledModel, TextSpan window, CancellationToken cancellationToken)
    {
        var root = Open.Tree!.GetRoot(cancellationToken);
        var compiledRoot = Document.CompiledTree!.GetRoot(cancellationToken);
        foreach (var node in root.DescendantNodes(window, n => BodyEdit.BodyOf(n) is null))
        {
            if (node == Member || BodyEdit.BodyOf(node) is not { } body || !body.Span.IntersectsWith(window)) continue;
            if (Counterpart(node, compiledRoot) is not { } compiled || BodyEdit.Speculate(compiledModel, compiled, node) is not { } model) continue;
            yield return (root, TextSpan.FromBounds(Math.Max(body.SpanStart, window.Start), Math.Min(body.Span.End, window.End)), model);
        }
    }

    /// <summary>
    /// <paramref name="member"/>'s node in the compiled bodyless tree, at the same path of child indices from the root:
    /// outside bodies both trees have the same structure when they declare the same. Checked by kind and by the text
    /// before the body, so a member never finds another.
    /// </summary>
    public static SyntaxNode? Counterpart(SyntaxNode member, SyntaxNode compiledRoot) =>
        AtSamePath(member, compiledRoot) is { } found && found.RawKind == member.RawKind && Header(found).IsEquivalentTo(Header(member)) ? found : null;

    private static SyntaxNode? AtSamePath(SyntaxNode member, SyntaxNode compiledRoot)
    {
        var path = new Stack<int>();
        for (var node = member; node.Parent is { } parent; node = parent) path.Push(IndexIn(parent.ChildNodesAndTokens(), node));
        var found = compiledRoot;
        foreach (int index in path)
        {
            var children = found.ChildNodesAndTokens();
            if (index >= children.Count || children[index].AsNode() is not { } child) return null;
            found = child;
        }
        return found;
    }

    /// <summary>Where <paramref name="node"/> is among its parent's children, found by position: a type may have thousands of members.</summary>
    private static int IndexIn(ChildSyntaxList children, SyntaxNode node)
    {
        int low = 0, high = children.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (children[middle].FullSpan.Start < node.FullSpan.Start) low = middle + 1;
            else high = middle;
        }
        while (children[low].AsNode() != node) low++;
        return low;
    }

    /// <summary>A member without its body, or an accessor's property without its accessors' bodies: what says which member it is.</summary>
    private static SyntaxNode Header(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method => method.WithBody(null).WithExpressionBody(null),
        AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property } =>
            property.WithAccessorList(property.AccessorList!.WithAccessors(SyntaxFactory.List(property.AccessorList.Accessors.Select(a => a.WithBody(null).WithExpressionBody(null))))),
        _ => member,
    };
}
