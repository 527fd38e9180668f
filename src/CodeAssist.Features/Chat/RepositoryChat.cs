using CodeAssist.Context;
using CodeAssist.Features.Generation;
using CodeAssist.Models;

namespace CodeAssist.Features.Chat;

/// <summary>A conversation's messages (the last one is the question) and, optionally, the selection it is about.</summary>
/// <param name="BudgetTokens">A cap on the repository context; by default it takes what the model's window leaves.</param>
public sealed record ChatInput(IReadOnlyList<ChatMessage> Messages, CodeSelection? Selection = null, int? BudgetTokens = null);

/// <summary>The whole answer, and the repository locations the model was given with why, most relevant first.</summary>
public sealed record ChatAnswer(string Text, IReadOnlyList<Reference> References);

/// <summary>
/// <c>codeassist/chat</c>: a question about the repository, answered by the model with repository context retrieved for
/// it (see <see cref="ContextEngine.GetQuestionContext"/>) and packed into the model's window with the conversation so far.
/// </summary>
public static class RepositoryChat
{
    public const string Task = "chat";

    private static readonly HashSet<string> s_roles = new(StringComparer.Ordinal) { "user", "assistant", "system" };

    /// <summary>The prompt the question would be asked with: retrieval, template and packing, without the model's answer.</summary>
    public static PreparedPrompt Prepare(Workbench bench, ChatInput input, CancellationToken cancellationToken)
    {
        var messages = input.Messages;
        if (messages.Count == 0 || messages[^1].Role != "user" || string.IsNullOrWhiteSpace(messages[^1].Content))
            throw new FeatureException("The last message must be the user's question, and not empty.");
        if (messages.FirstOrDefault(m => !s_roles.Contains(m.Role)) is { } odd)
            throw new FeatureException($"'{odd.Role}' is not a role: messages are from 'user', 'assistant' or 'system'.");
        foreach (var message in messages) PromptInputs.CheckText(message.Content, "A message");
        if (input.BudgetTokens is < 0) throw new FeatureException("budgetTokens must not be negative.");

        var budget = PromptBudget.For(bench, bench.MaxAnswerTokens);
        var selection = input.Selection is { IsBlank: false } selected ? selected : null;
        if (selection is not null) PromptInputs.CheckSelection(bench, selection, budget, "ask about");
        else if (input.Selection is { } cursor) PromptInputs.CheckDocument(bench, cursor.Path);

        string question = messages[^1].Content;
        var history = messages.Take(messages.Count - 1).ToArray();
        var retrieval = new Question
        {
            Text = question,
            EarlierTurns = history.Where(m => m.Role == "user").Select(m => m.Content).Reverse().ToArray(),
            Path = input.Selection?.Path,
            SelectionStart = input.Selection?.Start ?? 0,
            SelectionEnd = input.Selection?.End ?? 0,
        };
        var template = bench.Template(Task);
        IReadOnlyList<ChatMessage> Render(IReadOnlyList<QuestionItem> items, IReadOnlyList<ChatMessage> turns) => template.Render(new
        {
            Repository = bench.RepositoryName,
            Context = PromptInputs.Context(bench, items),
            Selection = selection is null ? null : PromptInputs.Selection(bench, selection),
            History = PromptInputs.History(turns),
            Question = question,
        });
        string TooLong(int tokens) =>
            $"The question{(selection is null ? "" : " with its selection")} takes {tokens:N0} tokens; the model's window of {budget.Window:N0} tokens " +
            $"keeps {budget.AnswerTokens:N0} for the answer and leaves {budget.PromptLimit:N0}: shorten it.";
        return budget.Fit(bench, Task, retrieval, input.BudgetTokens, history, Render, TooLong,
            selection is null ? [] : [PromptInputs.SelectionReference(selection)], cancellationToken);
    }

    /// <summary>Asks the model; <paramref name="onText"/> receives the answer as it streams.</summary>
    public static async Task<ChatAnswer> AnswerAsync(Workbench bench, ChatInput input, Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        bench.Counters.Request();
        var prompt = Prepare(bench, input, cancellationToken);
        var text = await ModelGeneration.RunAsync(bench, prompt, onText, cancellationToken).ConfigureAwait(false);
        return new ChatAnswer(text, prompt.References);
    }
}
