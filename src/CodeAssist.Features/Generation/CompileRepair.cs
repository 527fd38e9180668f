using CodeAssist.Context;

namespace CodeAssist.Features.Generation;

/// <summary>A candidate the compiler has seen, and its errors.</summary>
public sealed record CheckedCandidate(string Text, IReadOnlyList<CodeDiagnostic> Errors)
{
    public bool Compiles => Errors.Count == 0;
}

/// <summary>What the loop kept: the first candidate that compiled, else the one with the fewest errors (the latest among equals).</summary>
/// <param name="Rounds">Candidates compiled: 1 when the first compiled, at most 1 + <see cref="CompileRepair.MaxRepairs"/>.</param>
public sealed record RepairOutcome(string Text, bool Compiles, int Rounds, IReadOnlyList<CodeDiagnostic> Diagnostics);

/// <summary>
/// The compile-and-repair loop of generated C# (tests, translations): a candidate is compiled against the workspace, and
/// while it does not compile the model is shown its errors and asked for a corrected whole file, at most
/// <see cref="MaxRepairs"/> times. Generation and checking are passed in: the feature's model prompt and the context
/// engine's compiler in production, scripted candidates in the loop's tests.
/// </summary>
public static class CompileRepair
{
    public const int MaxRepairs = 3;

    /// <param name="generate">Writes a candidate: the first round gets null, each repair round the last candidate and its errors; the int is the 1-based round.</param>
    /// <param name="check">Compiles a candidate; only errors keep it from being offered.</param>
    public static async Task<RepairOutcome> RunAsync(
        Func<CheckedCandidate?, int, CancellationToken, Task<string>> generate,
        Func<string, IReadOnlyList<CodeDiagnostic>> check,
        ActionCounters counters,
        CancellationToken cancellationToken)
    {
        CheckedCandidate? best = null;
        CheckedCandidate? last = null;
        int round = 0;
        while (round <= MaxRepairs)
        {
            round++;
            if (round > 1) counters.Repair();
            string text = await generate(last, round, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            counters.CompileCheck();
            var errors = check(text).Where(d => d.IsError).ToArray();
            last = new CheckedCandidate(text, errors);
            if (last.Compiles) return new RepairOutcome(text, true, round, []);
            if (best is null || errors.Length <= best.Errors.Count) best = last;
        }
        return new RepairOutcome(best!.Text, false, round, best.Errors);
    }
}
