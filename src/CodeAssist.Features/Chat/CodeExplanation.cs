using CodeAssist.Context;
using CodeAssist.Features.Generation;
using CodeAssist.Models;

namespace CodeAssist.Features.Chat;

/// <summary>
/// <c>codeassist/explain</c>: prose about a selection, with what it uses and sits in from the repository as context (the
/// same retrieval as chat, driven by the selection rather than by a question's words).
/// </summary>
public static class CodeExplanation
{
    public const string Task = "explain";

    public static PreparedPrompt Prepare(Workbench bench, CodeSelection selection, CancellationToken cancellationToken)
    {
        var budget = PromptBudget.For(bench, bench.MaxAnswerTokens);
        PromptInputs.CheckSelection(bench, selection, budget, "explain");
        var template = bench.Template(Task);
        var question = new Question { Text = "", Path = selection.Path, SelectionStart = selection.Start, SelectionEnd = selection.End };
        IReadOnlyList<ChatMessage> Render(IReadOnlyList<QuestionItem> items, IReadOnlyList<ChatMessage> _) => template.Render(new
        {
            Repository = bench.RepositoryName,
            Context = PromptInputs.Context(bench, items),
            Selection = PromptInputs.Selection(bench, selection),
        });
        string TooLong(int tokens) => $"The selection takes {tokens:N0} tokens of a prompt; the model's window of {budget.Window:N0} tokens leaves {budget.PromptLimit:N0}: select less.";
        return budget.Fit(bench, Task, question, null, [], Render, TooLong, [PromptInputs.SelectionReference(selection)], cancellationToken);
    }

    public static async Task<ChatAnswer> ExplainAsync(Workbench bench, CodeSelection selection, Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        bench.Counters.Request();
        var prompt = Prepare(bench, selection, cancellationToken);
        var text = await ModelGeneration.RunAsync(bench, prompt, onText, cancellationToken).ConfigureAwait(false);
        return new ChatAnswer(text, prompt.References);
    }
}
