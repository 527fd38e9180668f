using CodeAssist.Context;
using CodeAssist.Models;

namespace CodeAssist.Features.Completion;

/// <summary>
/// The repository snippets of one document's prompts, in a stable order. They come first in the prompt, so any change to
/// them makes the model evaluate everything after the change again, the file included: thousands of tokens, seconds on a
/// CPU. The set therefore changes rarely. It starts with the engine's best items up to three quarters of the budget,
/// keeps its order, and is left alone while it holds at least half of what starting over would take (lexical
/// neighbours aside: they shift with every keystroke); when it holds less, the new items are appended in the room left,
/// and only when they do not fit, and the next request's ranking has moved on too, does it start over (a ranking one
/// keystroke brings and the next takes back made it start over twice). It is never changed in the middle of a word: a
/// half-typed identifier floods the ranking with every type that starts like it, gone again a keystroke later. Typing in
/// one place leaves it alone; moving to another part of the file or the repository changes it once. Consecutive items
/// of one file share one snippet (the prompt names a file once per snippet: with the engine's small items, one name each
/// was more tokens than the items' text), and a file's name counts against the budget.
/// </summary>
internal sealed class SnippetSet
{
    private readonly List<Snippet> _snippets = [];
    private int _tokens;
    // Requests in a row whose ranking the set no longer holds and cannot take in.
    private int _movedOn;
    // Token counts of the items recent requests ranked: every keystroke's request ranks mostly the same ones.
    private Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private Dictionary<string, int> _previousCounts = new(StringComparer.Ordinal);

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
                return Merged();
            }
        }
    }

    /// <summary>The snippets for a request whose context engine answered <paramref name="items"/> (best first).</summary>
    /// <param name="inWord">The cursor follows an identifier's character: only an empty set changes.</param>
    /// <param name="change">What became of the set: <c>started</c>, <c>kept</c>, <c>appended</c> or <c>started over</c> (for the log).</param>
    public IReadOnlyList<ContextSnippet> Update(IReadOnlyList<ContextItem> items, bool inWord, int budgetTokens, Func<string, int> countTokens,
        Func<string, string> promptPath, out string change)
    {
        change = "kept";
        lock (_snippets)
        {
            if (inWord && _snippets.Count > 0)
            {
                return Merged();
            }
            var measure = countTokens;
            countTokens = text => Count(text, measure);
            bool Held(ContextItem item) => _snippets.Any(s => s.Path == item.Path && s.Text == item.Text);
            // What starting over would take of the ranking (files' names and all), against what the set holds of it.
            var ranked = Fitting(items.Where(item => item.Kind != "lexical").ToList(), budgetTokens * 3 / 4, null, countTokens, promptPath)
                .Select(fit => fit.Item).ToList();
            var heldTokens = ranked.Where(Held).Sum(item => countTokens(item.Text));
            var rankedTokens = ranked.Sum(item => countTokens(item.Text));
            if (_snippets.Count == 0 || heldTokens * 2 < rankedTokens)
            {
                var missing = items.Where(item => !Held(item)).ToList();
                if (_snippets.Count > 0 && _tokens + missing.Sum(item => countTokens(item.Text)) <= budgetTokens)
                {
                    change = "appended";
                    _movedOn = 0;
                    Add(missing, budgetTokens, countTokens, promptPath);
                }
                else if (_snippets.Count > 0 && ++_movedOn < 2)
                {
                    // One request's ranking (the cursor just after a dot, say) that the next one takes back would make
                    // the model evaluate the whole prompt twice: start over only when two requests in a row move on.
                    return Merged();
                }
                else
                {
                    change = _snippets.Count == 0 ? "started" : "started over";
                    _movedOn = 0;
                    _snippets.Clear();
                    _tokens = 0;
                    // Room is left for what later requests append before the set must start over.
                    Add(items, budgetTokens * 3 / 4, countTokens, promptPath);
                }
            }
            else
            {
                _movedOn = 0;
            }
            return Merged();
        }
    }

    /// <summary>The snippets for the prompt: runs of consecutive items of one file joined under one name. Called under the lock.</summary>
    private ContextSnippet[] Merged()
    {
        var merged = new List<ContextSnippet>();
        foreach (var snippet in _snippets)
        {
            if (merged.Count > 0 && merged[^1].Path == snippet.Prompt.Path)
                merged[^1] = merged[^1] with { Text = merged[^1].Text + "\n" + snippet.Prompt.Text };
            else
                merged.Add(snippet.Prompt);
        }
        return merged.ToArray();
    }

    /// <summary>The tokens of an item's text, remembered over two generations of 256 texts.</summary>
    private int Count(string text, Func<string, int> countTokens)
    {
        if (!_counts.TryGetValue(text, out var tokens))
        {
            tokens = _previousCounts.TryGetValue(text, out var known) ? known : countTokens(text);
            if (_counts.Count >= 256)
            {
                (_previousCounts, _counts) = (_counts, _previousCounts);
                _counts.Clear();
            }
            _counts[text] = tokens;
        }
        return tokens;
    }

    /// <summary>Appends <paramref name="items"/> in order while they fit in <paramref name="limitTokens"/>.</summary>
    private void Add(IReadOnlyList<ContextItem> items, int limitTokens, Func<string, int> countTokens, Func<string, string> promptPath)
    {
        var lastPath = _snippets.Count > 0 ? _snippets[^1].Prompt.Path : null;
        foreach (var (item, path, tokens) in Fitting(items, limitTokens - _tokens, lastPath, countTokens, promptPath))
        {
            _snippets.Add(new Snippet(new ContextSnippet(path, item.Text), item.Path, item.Text, tokens));
            _tokens += tokens;
        }
    }

    /// <summary>The items, in order, that fit in <paramref name="roomTokens"/> after a snippet of <paramref name="lastPath"/>
    /// (null: none), with their names in the prompt and their tokens.</summary>
    private static List<(ContextItem Item, string Path, int Tokens)> Fitting(IReadOnlyList<ContextItem> items, int roomTokens, string? lastPath,
        Func<string, int> countTokens, Func<string, string> promptPath)
    {
        var fitting = new List<(ContextItem, string, int)>();
        var total = 0;
        foreach (var item in items)
        {
            var path = promptPath(item.Path);
            var tokens = Cost(item, path, lastPath, countTokens);
            if (total + tokens <= roomTokens)
            {
                fitting.Add((item, path, tokens));
                total += tokens;
                lastPath = path;
            }
        }
        return fitting;
    }

    /// <summary>An item's tokens in the prompt: a new file's snippet starts with its name and a separator, and a line
    /// break joins an item to the one before it of the same file.</summary>
    private static int Cost(ContextItem item, string path, string? lastPath, Func<string, int> countTokens) =>
        countTokens(item.Text) + (lastPath == path ? 1 : countTokens(path) + 2);
}
