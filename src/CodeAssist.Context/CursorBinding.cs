using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The semantic model a cursor of a document binds with, and where the cursor is in that model's tree: the compiled
/// tree when the document is what the compilation holds or the cursor is outside the edit (the text is the same
/// there); in a body being edited, the innermost statement or nested block holding the cursor and the edit bound alone
/// (see <see cref="StatementSpeculation"/>), else the edited member bound speculatively (see <see cref="BodyEdit"/>);
/// in declarations being edited, each name bound alone in the type's scope (see <see cref="DeclarationEdit"/>); and
/// only when Roslyn declines, a compilation with the edited tree for this call alone.
/// </summary>
/// <param name="Speculated">The span of the edited tree <paramref name="Model"/> binds speculatively (a statement, a
/// body, declarations); only nodes inside it may be asked of it, the rest has the same text in the compiled tree. Null
/// when the model binds all of <paramref name="Root"/>'s tree.</param>
/// <param name="AloneAt">For declarations being edited, the position of the compiled tree where <paramref name="Model"/>,
/// the compiled tree's, binds each expression of <paramref name="Speculated"/> alone (<c>GetSpeculativeSymbolInfo</c>):
/// no node of <paramref name="Root"/> may be asked of it.</param>
internal readonly record struct CursorBinding(SyntaxNode Root, int Position, SemanticModel Model, TextSpan? Speculated = null, int? AloneAt = null)
{
    public static CursorBinding For(WorkspaceSnapshot snapshot, SourceDocument document, int cursor, CancellationToken cancellationToken)
    {
        var editedTree = document.Tree!;
        var compiledTree = document.CompiledTree!;
        var compiledModel = snapshot.ModelFor(compiledTree);
        switch (document.Edit)
        {
            case null:
                return new(editedTree.GetRoot(cancellationToken), cursor, compiledModel);
            case DeclarationEdit declaration when declaration.Holds(cursor):
                return new(editedTree.GetRoot(cancellationToken), cursor, compiledModel, declaration.EditedSpan, declaration.ScopePosition);
            case BodyEdit edit when edit.EditedMember.Span.Contains(cursor):
                var editedRoot = editedTree.GetRoot(cancellationToken);
                if (StatementSpeculation.Holding(edit, edit.EditedMember, new TextSpan(cursor, 0), cursor, 0) is { } statement
                    && StatementSpeculation.Speculate(compiledModel, edit.ToCompiled(statement.SpanStart), statement) is { } statementModel)
                    return new(editedRoot, cursor, statementModel, statement.Span);
                if (snapshot.SpeculativeModelFor(editedTree, () => edit.Speculate(compiledModel)) is { } speculative)
                    return new(editedRoot, cursor, speculative, BodyEdit.BodySpan(edit.EditedMember));
                var compilation = snapshot.Compilation.ReplaceSyntaxTree(compiledTree, editedTree);
                return new(editedRoot, cursor, compilation.GetSemanticModel(editedTree));
            case var edit:
                return new(compiledTree.GetRoot(cancellationToken), edit.ToCompiled(cursor), compiledModel);
        }
    }

    /// <summary>Where lookups at the cursor (names in scope, accessible members) are asked of <see cref="Model"/>.</summary>
    public int LookupPosition => AloneAt ?? Position;

    /// <summary>What <paramref name="node"/> of <see cref="Root"/> refers to: asked of <see cref="Model"/>, or bound alone at <see cref="AloneAt"/>.</summary>
    public SymbolInfo SymbolInfo(ExpressionSyntax node, CancellationToken cancellationToken) =>
        AloneAt is int at ? Model.GetSpeculativeSymbolInfo(at, node, AloneAs(node)) : Model.GetSymbolInfo(node, cancellationToken);

    /// <summary>The type of <paramref name="node"/> of <see cref="Root"/>: asked of <see cref="Model"/>, or bound alone at <see cref="AloneAt"/>.</summary>
    public TypeInfo TypeInfo(ExpressionSyntax node, CancellationToken cancellationToken) =>
        AloneAt is int at ? Model.GetSpeculativeTypeInfo(at, node, AloneAs(node)) : Model.GetTypeInfo(node, cancellationToken);

    /// <summary>How an expression binds alone: as a type or namespace where only one can stand, else as an expression.</summary>
    public static SpeculativeBindingOption AloneAs(ExpressionSyntax expression) =>
        SyntaxFacts.IsInTypeOnlyContext(expression) ? SpeculativeBindingOption.BindAsTypeOrNamespace : SpeculativeBindingOption.BindAsExpression;
}
