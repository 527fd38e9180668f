using CodeAssist.Context;
using CodeAssist.Models;

namespace CodeAssist.Features.Completion;

/// <summary>
/// The repository snippets of one document's prompts, in a stable order. They come first in the prompt, so any change to
/// them makes the model evaluate everything after the change again, file included; the set therefore changes rarely:
/// it keeps its order, appends what the context engine newly ranks when that matters (a receiver's members, or a quarter of
/// the context or more), and starts over from the engine's ranking only when the appended set would exceed the budget.
/// Small shifts in the ranking, which typing causes all the time, leave it alone.
/// </summary>
internal sealed class SnippetSet
{
    private readonly List<Snippet> _snippets = [];
    private int _tokens;

    private sealed record Snippet(ContextSnippet Prompt, string Path, string Text, int Tokens);

    /// <summary>Tokens of <see cref="Current"/>.</summary>
    public int Tokens
    {
        get
        {
            lock (_snippets)
            {
                return _tokens;
            }
        }
    }

    /// <summary>The snippets as the last request left them.</summary>
    public IReadOnlyList<ContextSnippet> Current
    {
        get
        {
            lock (_snippets)
            {
                return _snippets.Select(s => s.Prompt).ToArray();
            }
        }
    }

    /// <summary>The snippets for a request whose context engine answered <paramref name="items"/> (best first).</summary>
    public IReadOnlyList<ContextSnippet> Update(IReadOnlyList<ContextItem> items, int budgetTokens, Func<string, int> countTokens, Func<string, string> promptPath)
    {
        lock (_snippets)
        {
            var missing = items.Where(item => !_snippets.Any(s => s.Path == item.Path && s.Text == item.Text)).ToList();
            if (missing.Count > 0)
            {
                var missingTokens = missing.Select(item => countTokens(item.Text)).ToArray();
                var currentTokens = items.Sum(item => countTokens(item.Text));
                var matters = _snippets.Count == 0
                    || missing.Any(item => item.Kind == "receiverMember")
                    || missingTokens.Sum() * 4 >= currentTokens;
                if (matters)
                {
                    if (_tokens + missingTokens.Sum() > budgetTokens)
                    {
                        _snippets.Clear();
                        _tokens = 0;
                        missing = items.ToList();
                        missingTokens = missing.Select(item => countTokens(item.Text)).ToArray();
                    }
                    for (var i = 0; i < missing.Count; i++)
                    {
                        if (_tokens + missingTokens[i] <= budgetTokens)
                        {
                            _snippets.Add(new Snippet(new ContextSnippet(promptPath(missing[i].Path), missing[i].Text), missing[i].Path, missing[i].Text, missingTokens[i]));
                            _tokens += missingTokens[i];
                        }
                    }
                }
            }
            return _snippets.Select(s => s.Prompt).ToArray();
        }
    }
}
