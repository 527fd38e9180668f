using CodeAssist.Context;
using CodeAssist.Models;

namespace CodeAssist.Features.Generation;

/// <summary>
/// How a prompt fits the model's window: the answer's tokens are set aside first, the fixed part of the prompt (the
/// template, the question, the selection) must fit in the rest, then the conversation history takes at most half of what
/// remains (newest turns first, so the oldest are trimmed), and repository context the rest, most relevant first.
/// Counted with the model's tokenizer (estimated for a remote model); each message adds the chat template's markers.
/// </summary>
internal sealed record PromptBudget(int Window, int AnswerTokens)
{
    private const int PerMessage = 8;
    // What the template's headers around each context item (path, lines, reason, fences) may take beyond its text.
    private const double ContextShare = 0.9;

    public int PromptLimit => Math.Max(0, Window - AnswerTokens - 16);

    public static PromptBudget For(Workbench bench, int maxAnswerTokens)
    {
        int window = bench.Model.Description.ContextSize;
        return new PromptBudget(window, Math.Max(16, Math.Min(maxAnswerTokens, window / 4)));
    }

    public static int Count(Workbench bench, IReadOnlyList<ChatMessage> messages) => messages.Sum(m => bench.Model.CountTokens(m.Content) + PerMessage);

    /// <summary>
    /// Renders a prompt with as much history and repository context as fit. <paramref name="render"/> builds the messages
    /// from context items and history turns; <paramref name="tooLong"/> words the error when even none of them fit.
    /// </summary>
    public PreparedPrompt Fit(Workbench bench, string task, Question question, int? contextCap, IReadOnlyList<ChatMessage> history,
        Func<IReadOnlyList<QuestionItem>, IReadOnlyList<ChatMessage>, IReadOnlyList<ChatMessage>> render, Func<int, string> tooLong,
        IReadOnlyList<Reference> leading, CancellationToken cancellationToken)
    {
        var bare = render([], []);
        int fixedTokens = Count(bench, bare);
        if (fixedTokens > PromptLimit) throw new FeatureException(tooLong(fixedTokens));
        int remaining = PromptLimit - fixedTokens;

        var kept = new List<ChatMessage>();
        int historyTokens = 0;
        for (int i = history.Count - 1; i >= 0; i--)
        {
            int cost = bench.Model.CountTokens(history[i].Content) + PerMessage;
            if (historyTokens + cost > remaining / 2) break;
            historyTokens += cost;
            kept.Insert(0, history[i]);
        }
        int contextBudget = (int)(Math.Min(contextCap ?? int.MaxValue, remaining - historyTokens) * ContextShare);
        var context = contextBudget > 0 ? bench.Engine.GetQuestionContext(question, contextBudget, cancellationToken) : new QuestionContext([], 0);
        var items = context.Items.ToList();
        var messages = render(items, kept);
        int tokens = Count(bench, messages);
        // The headers took more than their share: drop the least relevant items until the prompt fits.
        while (tokens > PromptLimit && items.Count > 0)
        {
            items.RemoveAt(items.Count - 1);
            messages = render(items, kept);
            tokens = Count(bench, messages);
        }
        var references = leading.Concat(items.Select(i => new Reference(i.Path, i.Range, i.Reason))).ToArray();
        return new PreparedPrompt(task, messages, references, tokens, items.Sum(i => bench.Engine.CountTokens(i.Text)), AnswerTokens);
    }
}
