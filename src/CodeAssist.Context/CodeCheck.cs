using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One candidate text checked as inserted at the cursor: the diagnostics it introduces (spans in the document with it
/// inserted), and when it names a member or type that does not exist and a close accessible name does, the repair.
/// </summary>
/// <param name="Unparsable">The parser cannot read the inserted text itself as code: an error inside it, not only where it
/// meets the rest of the document (a partial line's missing <c>;</c> or <c>)</c>). Such a text is not bound; its
/// diagnostics are the parser's, and its <see cref="Repair"/> is the part before the first error, when that is code
/// (checked, not repaired).</param>
/// <param name="NamesMissing">The text itself names a member or type that does not exist. An error it causes in the
/// rest of the document (a call the code after the cursor makes on what the text returns) is among the diagnostics but
/// does not count here: the text did not write that name.</param>
public sealed record InsertionCheck(string Text, IReadOnlyList<CodeDiagnostic> Diagnostics, InsertionRepair? Repair, bool Unparsable = false, bool NamesMissing = false)
{
    /// <summary>The diagnostics that say a name does not exist: what <see cref="NamesMissing"/> is about.</summary>
    public static IReadOnlySet<string> MissingNameIds { get; } = new HashSet<string>(["CS0103", "CS0117", "CS1061", "CS0246", "CS0234", "CS0426"]);

    /// <summary>The same check with its diagnostics <paramref name="lines"/> lines further down: checked in a <see cref="MemberGraft"/>, reported in the document.</summary>
    internal InsertionCheck WithLinesShifted(int lines) => this with
    {
        Diagnostics = CodeDiagnostic.Shifted(Diagnostics, lines),
        Repair = Repair is null ? null : Repair with { Diagnostics = CodeDiagnostic.Shifted(Repair.Diagnostics, lines) },
    };
}

/// <summary>
/// A candidate with its misspelt names replaced (<see cref="Replacements"/>, in order), or an unparsable one cut where
/// the parser stops reading it as code (no replacements), and the diagnostics it still introduces, spans in the
/// document with <see cref="Text"/> inserted. A replacement is offered only when it removed the diagnostic it was made
/// for. <see cref="NamesMissing"/> as for <see cref="InsertionCheck"/>.
/// </summary>
public sealed record InsertionRepair(string Text, IReadOnlyList<CodeDiagnostic> Diagnostics, IReadOnlyList<NameReplacement> Replacements, bool NamesMissing);

/// <summary>A name the candidate wrote (<see cref="From"/>, whole, including what was typed before the cursor) and the accessible one it became.</summary>
public sealed record NameReplacement(string From, string To);

/// <summary>
/// Compiler checks of completion candidates. Each candidate is spliced into the document's current text and reparsed
/// incrementally (a fork: the snapshot is untouched). Its syntax errors are the parser's. When the insertion lies inside
/// one member body, the statement around it (or the body) is bound speculatively against the compiled tree's semantic
/// model, which already holds every symbol the code uses, and the errors of the statements holding the insertion come
/// from <see cref="BindingProblems"/>; otherwise (a new member, a brace
/// that changes the structure, top-level code) a compilation with the candidate's tree reports the member's errors.
/// Only what a candidate introduces counts: diagnostics the document has without it (half-typed code) are matched and
/// dropped, whether they stay where they were or move along with the inserted text.
/// </summary>
internal sealed class CodeCheck
{
    // Names repaired per candidate, and close names tried for each.
    private const int MaxRepairs = 3;
    private const int MaxAlternatives = 3;

    // A name that does not exist, or a wrong argument count: what a repair may replace.
    private static readonly HashSet<string> s_repairable = [.. InsertionCheck.MissingNameIds, "CS1501", "CS7036"];

    private readonly WorkspaceSnapshot _snapshot;
    private readonly SourceDocument _document;
    private readonly SyntaxTree _tree;
    private readonly SourceText _text;
    private readonly int _cursor;
    private readonly Action<string> _log;
    private readonly CancellationToken _cancellationToken;
    private readonly Lazy<List<Problem>> _syntaxProblems;
    // The document as it is, compiled, for the slow path (the snapshot's own model when the compilation holds its tree).
    private SemanticModel? _documentModel;
    // The document's statement at the cursor bound alone, shared by the candidates of one check.
    private (StatementSyntax Statement, SemanticModel? Model)? _statementBefore;

    private CodeCheck(WorkspaceSnapshot snapshot, SourceDocument document, SourceText text, int cursor, Action<string> log, CancellationToken cancellationToken)
    {
        _snapshot = snapshot;
        _document = document;
        _tree = document.Tree!;
        _text = text;
        _cursor = cursor;
        _log = log;
        _cancellationToken = cancellationToken;
        _syntaxProblems = new(() => SyntaxProblems(_tree));
    }

    /// <summary>What one candidate introduces, in the document with it inserted, the model that bound it (null: syntax
    /// only), and where the first syntax error inside the inserted text starts, if any (then it is not bound).</summary>
    private sealed record Outcome(string Insertion, SourceText Text, List<Problem> Introduced, SemanticModel? Model, int? ErrorInside = null)
    {
        public bool Unparsable => ErrorInside is not null;
    }

    public static IReadOnlyList<InsertionCheck> Run(WorkspaceSnapshot snapshot, SourceDocument document, SourceText text, int cursor,
        IReadOnlyList<string> insertions, Action<string> log, CancellationToken cancellationToken)
    {
        if (document.Tree is null) return insertions.Select(insertion => new InsertionCheck(insertion, [], null)).ToArray();
        var check = new CodeCheck(snapshot, document, text, cursor, log, cancellationToken);
        var results = new List<InsertionCheck>(insertions.Count);
        foreach (var insertion in insertions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = check.Check(insertion);
            results.Add(new InsertionCheck(insertion, Diagnostics(outcome), outcome.Unparsable ? check.Readable(outcome) : check.Repair(outcome),
                outcome.Unparsable, check.NamesMissing(outcome)));
        }
        return results;
    }

    private Outcome Check(string insertion)
    {
        if (insertion.Length == 0) return new Outcome(insertion, _text, [], null);
        var text = _text.WithChanges(new TextChange(new TextSpan(_cursor, 0), insertion));
        var tree = _tree.WithChangedText(text);
        var introduced = Introduced(_syntaxProblems.Value, SyntaxProblems(tree), insertion.Length);
        // Binding text that is not code costs the most (it breaks the member, so the slow path compiles) and can only
        // confirm that it is not to be shown.
        if (FirstErrorInside(introduced, insertion) is { } errorInside) return new Outcome(insertion, text, introduced, null, errorInside);
        // Closing braces bind nothing new; what they do to the structure the parser says.
        if (insertion.All(c => c == '}' || char.IsWhiteSpace(c))) return new Outcome(insertion, text, introduced, null);
        try
        {
            if (BindInserted(tree.GetRoot(_cancellationToken), insertion.Length) is var (scope, model, region)
                && ProblemsBefore(TextSpan.FromBounds(region.Start, region.End - insertion.Length)) is { } before)
            {
                introduced.AddRange(Introduced(before, BindingProblems.Collect(model, scope, region, _cancellationToken), insertion.Length));
                return new Outcome(insertion, text, introduced, model);
            }
            var (compiledBefore, compiledAfter, compiledModel) = Compile(tree, insertion.Length);
            introduced.AddRange(Introduced(compiledBefore, compiledAfter, insertion.Length));
            return new Outcome(insertion, text, introduced, compiledModel);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            // Roslyn failing on this text costs the semantic check, not the answer: the parser's errors still count.
            _log($"semantic check failed at {_document.Path}:{_text.Lines.GetLinePosition(_cursor)}; syntax errors only: {exception}");
            return new Outcome(insertion, text, introduced, null);
        }
    }

    /// <summary>
    /// A speculative model for the code the insertion is in, what to walk and the region whose problems count (the
    /// statements holding the insertion). The innermost statement or nested block around the insertion that also holds
    /// the member's pending edit is bound alone: binding a whole body costs tens of milliseconds in a method of a
    /// thousand statements. Otherwise the member's body is bound in place of the compiled one. Null when the insertion is
    /// not strictly inside one body.
    /// </summary>
    private (SyntaxNode Scope, SemanticModel Model, TextSpan Region)? BindInserted(SyntaxNode root, int length)
    {
        var member = BodyEdit.MemberWithBodyAround(root, _cursor, _cursor + length);
        if (member is null || CompiledCounterpart(member, length) is not { } compiled) return null;
        var compiledModel = _snapshot.ModelFor(_document.CompiledTree!);
        var inserted = TextSpan.FromBounds(_cursor, _cursor + length);
        var statement = StatementSpeculation.Around(member, inserted);
        if (StatementSpeculation.Holding(_document.Edit, member, inserted, _cursor, length) is { } holding
            && StatementSpeculation.Speculate(compiledModel, ToCompiled(holding.SpanStart), holding) is { } statementModel)
            return (holding, statementModel, statement?.Span ?? StatementsAround(holding, inserted));
        var model = BodyEdit.Speculate(compiledModel, compiled, member);
        if (model is null) return null;
        var body = BodyEdit.BodyOf(member)!;
        return (body, model, statement?.Span ?? StatementsAround(body, inserted));
    }

    private int ToCompiled(int position) => _document.Edit?.ToCompiled(position) ?? position;

    /// <summary>The statements of a body that the inserted text is in or touches (empty between them).</summary>
    private static TextSpan StatementsAround(SyntaxNode body, TextSpan inserted)
    {
        var touched = body.DescendantNodes(inserted).OfType<StatementSyntax>()
            .Where(s => s is not BlockSyntax && s.Parent is BlockSyntax or SwitchSectionSyntax && s.Span.IntersectsWith(inserted)).ToArray();
        return touched.Length == 0 ? new TextSpan(inserted.Start, 0) : TextSpan.FromBounds(touched.Min(s => s.SpanStart), touched.Max(s => s.Span.End));
    }

    /// <summary>
    /// The member the insertion lies in, as the compiled tree has it: same start, same kind, and a length that differs
    /// by the insertion and by the document's own edit when that is inside the member.
    /// </summary>
    private SyntaxNode? CompiledCounterpart(SyntaxNode member, int length)
    {
        var edit = _document.Edit;
        int start = member.SpanStart;
        int compiledStart = edit?.ToCompiled(start) ?? start;
        bool holdsEdit = edit is not null && edit.EditedMember.SpanStart == start && edit.EditedMember.RawKind == member.RawKind;
        int expectedLength = member.Span.Length - length - (holdsEdit ? edit!.Delta : 0);
        var compiledRoot = _document.CompiledTree!.GetRoot(_cancellationToken);
        var compiled = compiledRoot.FindToken(compiledStart).Parent?.AncestorsAndSelf()
            .FirstOrDefault(n => n.SpanStart == compiledStart && n.RawKind == member.RawKind);
        return compiled is not null && compiled.Span.Length == expectedLength ? compiled : null;
    }

    /// <summary>
    /// The binding problems of <paramref name="region"/> of the document as it is, in its coordinates: bound where the
    /// compilation already did (warm from one check to the next), or with the snapshot's speculative model of the edit.
    /// Null when the cursor is not inside a body or that body cannot be bound without compiling.
    /// </summary>
    private List<Problem>? ProblemsBefore(TextSpan region)
    {
        var member = BodyEdit.MemberWithBodyAround(_tree.GetRoot(_cancellationToken), _cursor, _cursor);
        if (member is null) return null;
        var edit = _document.Edit;
        var compiledModel = _snapshot.ModelFor(_document.CompiledTree!);
        if (edit is null) return BindingProblems.Collect(compiledModel, BodyEdit.BodyOf(member)!, region, _cancellationToken);
        if (edit is BodyEdit body && body.EditedMember.SpanStart == member.SpanStart && body.EditedMember.RawKind == member.RawKind)
        {
            // The innermost statement or nested block holding the region and the edit, alone (typing in a line, or lines of a lambda).
            if (StatementSpeculation.Holding(edit, member, region, _cursor, 0) is { } statement)
            {
                _statementBefore ??= (statement, StatementSpeculation.Speculate(compiledModel, ToCompiled(statement.SpanStart), statement));
                if (_statementBefore.Value.Statement == statement && _statementBefore.Value.Model is { } statementModel)
                    return BindingProblems.Collect(statementModel, statement, region, _cancellationToken);
            }
            var speculative = _snapshot.SpeculativeModelFor(_tree, () => body.Speculate(compiledModel));
            return speculative is null ? null : BindingProblems.Collect(speculative, BodyEdit.BodyOf(member)!, region, _cancellationToken);
        }
        // A member the edit is not in has the compiled tree's text, shifted: bind it there.
        if (CompiledCounterpart(member, 0) is not { } compiled) return null;
        int shift = member.SpanStart - compiled.SpanStart;
        return BindingProblems.Collect(compiledModel, BodyEdit.BodyOf(compiled)!, new TextSpan(region.Start - shift, region.Length), _cancellationToken)
            .Select(p => p with { Span = new TextSpan(p.Span.Start + shift, p.Span.Length), Name = null })
            .ToList();
    }

    /// <summary>
    /// The slow path: the candidate's tree in a compilation of its own, and the document's current tree where the
    /// compilation does not hold it already; the diagnostics of the members the insertion touches, in both.
    /// </summary>
    private (List<Problem> Before, List<Problem> After, SemanticModel Model) Compile(SyntaxTree tree, int length)
    {
        var root = tree.GetRoot(_cancellationToken);
        var region = Region(root, length);
        var model = _snapshot.Compilation.ReplaceSyntaxTree(_document.CompiledTree!, tree).GetSemanticModel(tree);
        _documentModel ??= _document.Edit is null
            ? _snapshot.ModelFor(_tree)
            : _snapshot.Compilation.ReplaceSyntaxTree(_document.CompiledTree!, _tree).GetSemanticModel(_tree);
        var before = SemanticProblems(_documentModel, TextSpan.FromBounds(region.Start, region.End - length), null);
        var after = SemanticProblems(model, region, root);
        return (before, after, model);
    }

    /// <summary>The members (or top-level statements) the inserted text is in, whole; the inserted lines where it is in none.</summary>
    private TextSpan Region(SyntaxNode root, int length)
    {
        var inserted = TextSpan.FromBounds(_cursor, _cursor + length);
        var member = root.FindToken(_cursor).Parent?.AncestorsAndSelf().FirstOrDefault(n =>
            n is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax && n.Span.Contains(inserted));
        return member?.Span ?? inserted;
    }

    private List<Problem> SemanticProblems(SemanticModel model, TextSpan span, SyntaxNode? root) =>
        model.GetDeclarationDiagnostics(span, _cancellationToken).Concat(model.GetMethodBodyDiagnostics(span, _cancellationToken))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => Problem.From(d, root))
            .ToList();

    private static List<Problem> SyntaxProblems(SyntaxTree tree) =>
        tree.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => Problem.From(d, null)).ToList();

    /// <summary>
    /// The problems of the document with the insertion that the document without it does not have. A problem of the
    /// document matches one with the same id and message at the same place once the insertion is accounted for: after
    /// the cursor it moves by the inserted length, and one touching the cursor may stay or move (<c>; expected</c>
    /// follows the typed text).
    /// </summary>
    private List<Problem> Introduced(List<Problem> before, List<Problem> after, int length)
    {
        var unmatched = new List<Problem>(before);
        var introduced = new List<Problem>();
        foreach (var problem in after)
        {
            int index = unmatched.FindIndex(old => old.Id == problem.Id && old.Message == problem.Message
                && (Shift(old.Span, length, false) == problem.Span || Shift(old.Span, length, true) == problem.Span));
            if (index >= 0) unmatched.RemoveAt(index);
            else introduced.Add(problem);
        }
        return introduced;
    }

    private TextSpan Shift(TextSpan span, int length, bool atCursorMoves)
    {
        int Move(int position) => position > _cursor || position == _cursor && atCursorMoves ? position + length : position;
        return TextSpan.FromBounds(Move(span.Start), Move(span.End));
    }

    /// <summary>Where the first introduced syntax error inside the inserted text starts (its trailing whitespace aside), if any.</summary>
    private int? FirstErrorInside(List<Problem> introduced, string insertion)
    {
        var written = new TextSpan(_cursor, insertion.TrimEnd().Length);
        return introduced.Where(p => p.IsError && written.Contains(p.Span.Start)).Select(p => (int?)p.Span.Start).Min();
    }

    /// <summary>
    /// An unparsable candidate cut where the parser stops reading it as code (a name written before a line of noise is
    /// still the name), and checked; null when nothing before the first error is left or the cut text is still not
    /// code. Not repaired: a cut is already a salvage, and a repair's tries cost a check each.
    /// </summary>
    private InsertionRepair? Readable(Outcome outcome)
    {
        var readable = outcome.Insertion[..(outcome.ErrorInside!.Value - _cursor)].TrimEnd();
        if (readable.Length == 0) return null;
        var cut = Check(readable);
        return cut.Unparsable ? null : new InsertionRepair(readable, Diagnostics(cut), [], NamesMissing(cut));
    }

    /// <summary>
    /// Replaces names the candidate wrote that do not exist with the closest accessible ones, one at a time, keeping a
    /// replacement only when it removes its diagnostic and leaves fewer introduced in all. A repair is for a candidate
    /// it can rid of every such name, so it is not tried on more names than <see cref="MaxRepairs"/> or on a name the
    /// candidate did not write, and it ends at the first name nothing close replaces: each try is another check.
    /// </summary>
    private InsertionRepair? Repair(Outcome outcome)
    {
        var wrong = outcome.Introduced.Where(p => p.Name is not null && s_repairable.Contains(p.Id)).ToList();
        if (wrong.Count > MaxRepairs || wrong.Any(p => !IsWrittenByCandidate(p.Name!, outcome.Insertion))) return null;
        var replacements = new List<NameReplacement>();
        var tried = new HashSet<(int, string)>();
        var current = outcome;
        while (replacements.Count < MaxRepairs && current.Model is { } model)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var problem = current.Introduced.FirstOrDefault(p => p.Name is not null && s_repairable.Contains(p.Id)
                && IsWrittenByCandidate(p.Name, current.Insertion) && tried.Add((p.Name.Identifier.SpanStart, p.Name.Identifier.ValueText)));
            if (problem is null || TryAlternatives(current, model, problem) is not { } repaired) break;
            replacements.Add(new NameReplacement(problem.Name!.Identifier.ValueText, repaired.To));
            current = repaired.Outcome;
        }
        return replacements.Count == 0 ? null : new InsertionRepair(current.Insertion, Diagnostics(current), replacements, NamesMissing(current));
    }

    private (string To, Outcome Outcome)? TryAlternatives(Outcome current, SemanticModel model, Problem problem)
    {
        var name = problem.Name!;
        var identifier = name.Identifier;
        string typed = current.Text.ToString(TextSpan.FromBounds(identifier.SpanStart, Math.Max(identifier.SpanStart, _cursor)));
        var names = AlternativesFor(model, name, problem.Id).Where(n => n.StartsWith(typed, StringComparison.Ordinal));
        foreach (var alternative in CloseNames.Rank(identifier.ValueText, names, MaxAlternatives))
        {
            int start = Math.Max(identifier.SpanStart, _cursor) - _cursor;
            string insertion = current.Insertion[..start] + alternative[typed.Length..] + current.Insertion[(identifier.Span.End - _cursor)..];
            var repaired = Check(insertion);
            var at = new TextSpan(identifier.SpanStart, alternative.Length);
            if (repaired.Introduced.Count < current.Introduced.Count && !repaired.Introduced.Any(p => p.Id == problem.Id && p.Span.IntersectsWith(at)))
                return (alternative, repaired);
        }
        return null;
    }

    private bool NamesMissing(Outcome outcome) =>
        outcome.Introduced.Any(p => p.IsError && InsertionCheck.MissingNameIds.Contains(p.Id)
            && (p.Name is { } name ? IsWrittenByCandidate(name, outcome.Insertion) : new TextSpan(_cursor, outcome.Insertion.Length).Contains(p.Span.Start)));

    /// <summary>Whether the name ends inside the inserted text (what was typed before the cursor may begin it).</summary>
    private bool IsWrittenByCandidate(SimpleNameSyntax name, string insertion) =>
        name.Identifier.Span.End > _cursor && name.Identifier.Span.End <= _cursor + insertion.Length;

    /// <summary>The names that could stand where the missing one is: the receiver's members, the names or types in scope.</summary>
    private IEnumerable<string> AlternativesFor(SemanticModel model, SimpleNameSyntax name, string id)
    {
        if (BindingProblems.ReceiverOf(name) is { } receiver)
            return ReachableNames.MembersOf(model, receiver, name.SpanStart, _cancellationToken)?.Names ?? [];
        return id == "CS0246" || SyntaxFacts.IsInNamespaceOrTypeContext(name)
            ? ReachableNames.TypesInScope(model, name.SpanStart)
            : ReachableNames.InScope(model, name.SpanStart);
    }

    private static IReadOnlyList<CodeDiagnostic> Diagnostics(Outcome outcome) =>
        outcome.Introduced.OrderBy(p => p.Span.Start).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new CodeDiagnostic(p.Id, p.Message, LspPosition.Range(outcome.Text, p.Span), p.IsError))
            .ToArray();
}
