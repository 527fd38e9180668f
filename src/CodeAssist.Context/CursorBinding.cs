using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The semantic model a cursor of a document binds with, and where the cursor is in that model's tree: the compiled
/// tree when the document is what the compilation holds or the cursor is outside the member being edited (the text
/// is the same there), the innermost statement or nested block holding the cursor and the edit bound alone (see
/// <see cref="StatementSpeculation"/>), else the edited member bound speculatively (see <see cref="BodyEdit"/>), and
/// only when Roslyn declines, a compilation with the edited tree for this call alone.
/// </summary>
/// <param name="Speculated">The span of the edited tree <paramref name="Model"/> binds speculatively (a statement, a
/// body); only nodes inside it may be asked of it, the rest has the same text in the compiled tree. Null when the model
/// binds all of <paramref name="Root"/>'s tree.</param>
internal readonly record struct CursorBinding(SyntaxNode Root, int Position, SemanticModel Model, TextSpan? Speculated = null)
{
    public static CursorBinding For(WorkspaceSnapshot snapshot, SourceDocument document, int cursor, CancellationToken cancellationToken)
    {
        var editedTree = document.Tree!;
        var compiledTree = document.CompiledTree!;
        var compiledModel = snapshot.ModelFor(compiledTree);
        var edit = document.Edit;
        if (edit is null) return new(editedTree.GetRoot(cancellationToken), cursor, compiledModel);
        if (!edit.EditedMember.Span.Contains(cursor)) return new(compiledTree.GetRoot(cancellationToken), edit.ToCompiled(cursor), compiledModel);
        var editedRoot = editedTree.GetRoot(cancellationToken);
        if (StatementSpeculation.Holding(edit, edit.EditedMember, new TextSpan(cursor, 0), cursor, 0) is { } statement
            && StatementSpeculation.Speculate(compiledModel, edit.ToCompiled(statement.SpanStart), statement) is { } statementModel)
            return new(editedRoot, cursor, statementModel, statement.Span);
        if (snapshot.SpeculativeModelFor(editedTree, () => edit.Speculate(compiledModel)) is { } speculative)
            return new(editedRoot, cursor, speculative, BodyEdit.BodySpan(edit.EditedMember));
        var compilation = snapshot.Compilation.ReplaceSyntaxTree(compiledTree, editedTree);
        return new(editedRoot, cursor, compilation.GetSemanticModel(editedTree));
    }
}
