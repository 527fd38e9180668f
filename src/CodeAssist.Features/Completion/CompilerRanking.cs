using CodeAssist.Context;
using CodeAssist.Features.Completion.Postprocessing;

namespace CodeAssist.Features.Completion;

/// <summary>A candidate after the compiler's check: its text (repaired when that helped), what it introduces, and whether it was repaired.</summary>
internal sealed record CheckedCompletion(ProcessedCompletion Completion, IReadOnlyList<CodeDiagnostic> Diagnostics, bool Repaired,
    bool Unparsable = false, bool NamesMissing = false)
{
    /// <summary>Names something that does not exist, or is not code at all: never shown first.</summary>
    public bool Rejected => Unparsable || NamesMissing;

    /// <summary>The errors that say the code is wrong, not unfinished: a partial line's missing <c>;</c> or <c>)</c> does not count.</summary>
    public int SemanticErrors => Diagnostics.Count(d => d.IsError && CompilerRanking.Semantic.Contains(d.Id));
}

/// <summary>
/// C# candidates ranked by what the compiler says of them (<see cref="ContextEngine.CheckInsertions"/>): a candidate that
/// names a member or type that does not exist (<see cref="InsertionCheck.NamesMissing"/>: an error it causes in the code
/// after the cursor is a semantic error, not this) takes the repair the check found (a close accessible name) when that
/// leaves fewer errors, and otherwise goes behind every candidate that names only what exists; with none such before it,
/// it is not shown at all; so with a candidate the parser cannot read as code, unless the part of it before the first
/// syntax error is code (then that part stands for it). Then fewer semantic errors first, the model's order breaking
/// ties. Syntax errors of a partial line (a statement the user has not finished, where the candidate meets the rest of
/// the document) do not count against a candidate.
/// </summary>
internal static class CompilerRanking
{
    /// <summary>Binding errors the check reports (see docs/context.md, "Completion sites and compiler checks").</summary>
    public static readonly HashSet<string> Semantic =
        [.. InsertionCheck.MissingNameIds, "CS0122", "CS0120", "CS0176", "CS1501", "CS7036", "CS1729", "CS1503", "CS1955", "CS0029", "CS0266"];

    /// <summary>
    /// The text checked for a candidate: what it inserts at the cursor, so without the characters after the cursor it
    /// retypes (inserting those again would add a stray <c>)</c>).
    /// </summary>
    public static string Insertion(ProcessedCompletion completion) => completion.Text[..^completion.Retyped];

    /// <returns>The candidates to show, best first; those held back, best first (when every one names something that
    /// does not exist); how many still named something that does not exist; how many were repaired.</returns>
    public static (IReadOnlyList<CheckedCompletion> Shown, IReadOnlyList<CheckedCompletion> HeldBack, int Rejected, int Repaired) Rank(
        IReadOnlyList<ProcessedCompletion> candidates, IReadOnlyList<InsertionCheck> checks)
    {
        var ranked = new List<CheckedCompletion>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var check = checks[i];
            var original = new CheckedCompletion(candidate, check.Diagnostics, Repaired: false, check.Unparsable, check.NamesMissing);
            if (check.Repair is { } repair)
            {
                var repaired = new CheckedCompletion(candidate with { Text = repair.Text + candidate.Text[^candidate.Retyped..] }, repair.Diagnostics, Repaired: true, NamesMissing: repair.NamesMissing);
                ranked.Add(!repaired.Rejected && original.Rejected || repaired.SemanticErrors < original.SemanticErrors ? repaired : original);
            }
            else
            {
                ranked.Add(original);
            }
        }
        var ordered = ranked.Select((candidate, index) => (candidate, index))
            .OrderBy(c => c.candidate.Rejected).ThenBy(c => c.candidate.SemanticErrors).ThenBy(c => c.index)
            .Select(c => c.candidate)
            .DistinctBy(c => c.Completion.Text)
            .ToList();
        bool heldBack = ordered.Count > 0 && ordered[0].Rejected;
        return (heldBack ? [] : ordered, heldBack ? ordered : [], ranked.Count(c => c.Rejected), ranked.Count(c => c.Repaired));
    }
}
