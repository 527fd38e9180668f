using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Context;

/// <summary>
/// The syntax tree the compilation holds for a closed file: its declarations as written, every method, constructor,
/// operator and accessor body emptied, no assembly or module attributes, and no text. Queries bind only the document
/// at the cursor; other files are there for their symbols, which bodies do not declare, and bodies are most of a
/// repository's syntax (mono's class libraries: 1.2 GB of trees without text, 0.6 GB without bodies).
/// Positions in it are not the file's: <see cref="DeclarationStarts"/> lists where each of the file's declarations
/// (<see cref="Signatures.DeclarationNodes"/>, in order) starts in this tree, to find the rendered one by position.
/// </summary>
internal sealed class BodylessTree
{
    private BodylessTree(SyntaxTree tree, int[] declarationStarts)
    {
        Tree = tree;
        DeclarationStarts = declarationStarts;
    }

    public SyntaxTree Tree { get; }

    /// <summary>Ascending, one per declaration of the file's summary.</summary>
    public int[] DeclarationStarts { get; }

    /// <summary>The same declarations in <paramref name="sameText"/>, a bodyless tree of the same text the compilation already holds.</summary>
    public BodylessTree On(SyntaxTree sameText) => new(sameText, DeclarationStarts);

    public static BodylessTree Create(SyntaxTree parsed, CancellationToken cancellationToken)
    {
        var root = (CSharpSyntaxNode)BodyRemover.Instance.Visit(parsed.GetRoot(cancellationToken));
        var tree = CSharpSyntaxTree.Create(root, (CSharpParseOptions)parsed.Options, parsed.FilePath);
        return new BodylessTree(tree, Signatures.DeclarationNodes(tree.GetRoot(cancellationToken)).Select(n => n.SpanStart).ToArray());
    }

    private sealed class BodyRemover : CSharpSyntaxRewriter
    {
        public static readonly BodyRemover Instance = new();
        private static readonly BlockSyntax s_empty = SyntaxFactory.Block();

        // Assembly and module attributes declare nothing a query renders, and Roslyn binds all of them the first time a
        // binding asks for any (mono's class libraries: 10,936 and 6,776 of them, 28 s before the first answer).
        public override SyntaxNode? VisitCompilationUnit(CompilationUnitSyntax node) =>
            base.VisitCompilationUnit(node.AttributeLists.Count == 0 ? node
                : node.RemoveNodes(node.AttributeLists, SyntaxRemoveOptions.KeepDirectives | SyntaxRemoveOptions.KeepUnbalancedDirectives)!);

        public override SyntaxNode? VisitBlock(BlockSyntax node) =>
            node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax ? s_empty.WithTriviaFrom(node) : base.VisitBlock(node);

        // Nothing inside a body can be a declaration of the file's.
        public override SyntaxNode? VisitArrowExpressionClause(ArrowExpressionClauseSyntax node) => node;
    }
}
