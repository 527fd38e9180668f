using CodeAssist.Context;
using CodeAssist.Features.Generation;
using CodeAssist.Models;

namespace CodeAssist.Features.Actions;

/// <summary>
/// A translation: the code (without Markdown), the language it is in, and for C# whether it compiled and after how many
/// rounds (<see cref="Compiles"/> is null and <see cref="Rounds"/> 0 for languages we do not compile).
/// </summary>
public sealed record TranslationResult(string Text, string Language, bool? Compiles, int Rounds, IReadOnlyList<CodeDiagnostic> Diagnostics);

/// <summary>
/// <c>codeassist/translate</c>: a selection rewritten in another language (<see cref="CodeLanguage.All"/>), keeping its
/// behaviour and names. A translation into C# is compiled in the project of the selection's file (on its own against the
/// framework when there is none) and repaired from its diagnostics like generated tests.
/// </summary>
public static class Translation
{
    public const string Task = "translate";

    public static async Task<TranslationResult> TranslateAsync(Workbench bench, CodeSelection selection, string language,
        Func<string, int, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        bench.Counters.Request();
        var target = CodeLanguage.Find(language)
            ?? throw new FeatureException($"'{language}' is not a language the translator knows; choose one of {CodeLanguage.Known}.");
        if (target == selection.Language) throw new FeatureException($"The selection is {target.Name} already: choose another language.");
        var budget = PromptBudget.For(bench, bench.MaxAnswerTokens);
        PromptInputs.CheckSelection(bench, selection, budget, "translate");
        var template = bench.Template(Task);
        var question = new Question { Text = "", Path = selection.Path, SelectionStart = selection.Start, SelectionEnd = selection.End };

        async Task<string> Generate(CheckedCandidate? previous, int round, CancellationToken token)
        {
            IReadOnlyList<ChatMessage> Render(IReadOnlyList<QuestionItem> items, IReadOnlyList<ChatMessage> _) => template.Render(new
            {
                Source = selection.Language.Name,
                SourceFence = selection.Language.Fence,
                Target = target.Name,
                TargetFence = target.Fence,
                Path = PromptInputs.Relative(bench, selection.Path),
                Code = selection.Text.TrimEnd(),
                Context = PromptInputs.Context(bench, items),
                Repair = previous is null ? null : TestGeneration.Repair(previous),
            });
            string TooLong(int tokens) => $"The selection takes {tokens:N0} tokens of a prompt; the model's window of {budget.Window:N0} tokens leaves {budget.PromptLimit:N0}: select less.";
            var prompt = budget.Fit(bench, Task, question, budget.PromptLimit / 4, [], Render, TooLong, [], token);
            var answer = await ModelGeneration.RunAsync(bench, prompt, onText is null ? null : (chunk, t) => onText(chunk, round, t), token).ConfigureAwait(false);
            return CodeBlocks.Extract(answer, target.Fence);
        }

        if (target != CodeLanguage.CSharp)
        {
            var text = await Generate(null, 1, cancellationToken).ConfigureAwait(false);
            return new TranslationResult(text, target.Id, null, 0, []);
        }
        // Compiled beside the original, so it sees the project the original's folder belongs to, if any.
        string checkPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(selection.Path)!, System.IO.Path.GetFileNameWithoutExtension(selection.Path) + ".Translated.cs");
        // An empty translation compiles, and is no translation.
        IReadOnlyList<CodeDiagnostic> Check(string text) => string.IsNullOrWhiteSpace(text)
            ? [new CodeDiagnostic("CA0002", "The translation is empty.", default, IsError: true)]
            : bench.Engine.CheckDocument(checkPath, text, cancellationToken);
        var outcome = await CompileRepair.RunAsync(Generate, Check, bench.Counters, cancellationToken).ConfigureAwait(false);
        return new TranslationResult(outcome.Text, target.Id, outcome.Compiles, outcome.Rounds, outcome.Diagnostics);
    }
}
