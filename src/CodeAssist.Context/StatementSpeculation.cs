using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// Binding one statement of an edited member alone, at its place in the compiled tree. A speculative model of a whole
/// body binds all of it on the first question (tens of milliseconds in a method of a thousand statements, every
/// keystroke, since each keystroke makes a new tree); a statement binds in the scope the compiled code gives its
/// position, which is right as long as the member differs from the compiled one only inside that statement.
/// </summary>
internal static class StatementSpeculation
{
    /// <summary>The innermost statement, blocks aside, of <paramref name="member"/> that contains <paramref name="span"/>.</summary>
    public static StatementSyntax? Around(SyntaxNode member, TextSpan span) =>
        member.FindToken(span.Start).Parent?.AncestorsAndSelf().TakeWhile(n => n != member)
            .OfType<StatementSyntax>().FirstOrDefault(n => n is not BlockSyntax && n.Span.Contains(span));

    /// <summary>
    /// The innermost statement of <paramref name="member"/> that contains <paramref name="span"/> and holds all the
    /// document's edit of it (see <see cref="HoldsEdit"/>): a nested block when the edit spans several of its statements
    /// (lines typed in a lambda's body), so that what surrounds it keeps the compiled tree's bindings. The member's own
    /// body is not one: binding it is what <see cref="BodyEdit.Speculate(SemanticModel)"/> does.
    /// </summary>
    public static StatementSyntax? Holding(PendingEdit? edit, SyntaxNode member, TextSpan span, int cursor, int inserted) =>
        member.FindToken(span.Start).Parent?.AncestorsAndSelf().TakeWhile(n => n != member)
            .OfType<StatementSyntax>().FirstOrDefault(n => n.Parent != member && n.Span.Contains(span) && HoldsEdit(edit, member, n.Span, cursor, inserted));

    /// <summary>
    /// A model for <paramref name="statement"/> bound at <paramref name="compiledPosition"/> of the compiled tree's
    /// model; null when Roslyn declines or fails (callers bind the whole body instead).
    /// </summary>
    public static SemanticModel? Speculate(SemanticModel compiledModel, int compiledPosition, StatementSyntax statement)
    {
        try
        {
            return compiledModel.TryGetSpeculativeSemanticModel(compiledPosition, statement, out var model) ? model : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether all the document's edit of <paramref name="member"/> lies inside <paramref name="span"/>, in a text
    /// with <paramref name="inserted"/> characters inserted at <paramref name="cursor"/> (0: the document itself).
    /// </summary>
    public static bool HoldsEdit(PendingEdit? edit, SyntaxNode member, TextSpan span, int cursor, int inserted)
    {
        if (edit is null || edit.EditedMember.SpanStart != member.SpanStart || edit.EditedMember.RawKind != member.RawKind) return true;
        int start = edit.ChangeStart > cursor ? edit.ChangeStart + inserted : edit.ChangeStart;
        int end = edit.EditedChangeEnd >= cursor ? edit.EditedChangeEnd + inserted : edit.EditedChangeEnd;
        return span.Start <= start && end <= span.End;
    }
}
