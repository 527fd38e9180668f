using CodeAssist.Models;

namespace CodeAssist.Features.Completion;

/// <summary>
/// Lays out a completion prompt stable-to-volatile, so that consecutive requests share the longest possible start and the
/// model's KV cache evaluates only what changed: the document's repository snippets (<see cref="SnippetSet"/>), then the
/// file from a start line that stays put while the user types below it, then the cursor and a short suffix. Typing one
/// character changes the prompt only from the cursor on, which is why the suffix is kept short (see <see cref="Window"/>).
/// </summary>
/// <remarks>
/// Windows are measured in characters (three a token, which code rarely goes below), not tokens: tokenizing the window on
/// every keystroke would cost more than the rest of the request. The model fits the prompt to its window exactly.
/// </remarks>
internal sealed class CompletionPrompt
{
    private const int CharactersPerToken = 3;
    private const int PrefixTokens = 1536;
    private const int SuffixTokens = 128;
    private const int SuffixLines = 12;

    private readonly object _gate = new();
    private int _prefixStart = -1;
    private string _anchor = "";

    public SnippetSet Snippets { get; } = new();

    /// <summary>Token budgets of one prompt in a window of <paramref name="contextSize"/> tokens.</summary>
    public static (int Context, int Prefix, int Suffix) Budgets(int contextSize, CompletionOptions options)
    {
        var room = Math.Max(0, contextSize - options.MaxTokens - 1 - 16);
        var context = Math.Min(options.ContextTokens, room / 4);
        var file = room - context;
        var prefix = Math.Min(PrefixTokens, file * 7 / 8);
        return (context, prefix, Math.Min(SuffixTokens, file - prefix));
    }

    /// <summary>
    /// The file part of the prompt around <paramref name="cursor"/>: the prefix from the anchored start, and the suffix.
    /// The suffix is at most a tenth of the prompt (<paramref name="snippetTokens"/> and the prefix before it), within
    /// 32 and <paramref name="suffixTokens"/> tokens: it is what every keystroke makes the model evaluate again, and in
    /// a small file a long suffix would be most of the prompt.
    /// </summary>
    public (string Prefix, string Suffix) Window(string text, int cursor, int prefixTokens, int suffixTokens, int snippetTokens)
    {
        var prefixStart = PrefixStart(text, cursor, prefixTokens * CharactersPerToken);
        var stableCharacters = cursor - prefixStart + snippetTokens * CharactersPerToken;
        var suffixCharacters = Math.Clamp(stableCharacters / 9, Math.Min(32, suffixTokens) * CharactersPerToken, suffixTokens * CharactersPerToken);
        return (text[prefixStart..cursor], text[cursor..SuffixEnd(text, cursor, suffixCharacters)]);
    }

    /// <summary>
    /// Where the prefix starts: the same line start as last time while it is still there, before the cursor and within
    /// the limit; otherwise a line start that leaves a quarter of the limit for typing on before it must move again.
    /// </summary>
    private int PrefixStart(string text, int cursor, int limit)
    {
        lock (_gate)
        {
            var start = _prefixStart;
            var valid = start >= 0 && start <= cursor && cursor - start <= limit
                && (start == 0 || text[start - 1] is '\n' or '\r')
                && text.AsSpan(start).StartsWith(_anchor, StringComparison.Ordinal);
            if (!valid)
            {
                start = LineStartNear(text, Math.Max(0, cursor - limit * 3 / 4), cursor);
                _prefixStart = start;
                _anchor = text.Substring(start, Math.Min(64, cursor - start));
            }
            return start;
        }
    }

    /// <summary>The first line start at or after <paramref name="from"/> and before <paramref name="cursor"/>'s line, else
    /// <paramref name="from"/> itself (a cursor line longer than the window), moved off a surrogate pair's second half.</summary>
    private static int LineStartNear(string text, int from, int cursor)
    {
        if (from == 0)
        {
            return 0;
        }
        var lineBreak = text.AsSpan(from - 1, cursor - from + 1).IndexOfAny('\n', '\r');
        if (lineBreak >= 0)
        {
            var start = from - 1 + lineBreak + 1;
            return start < text.Length && text[start - 1] == '\r' && text[start] == '\n' ? start + 1 : start;
        }
        return char.IsLowSurrogate(text[from]) ? from + 1 : from;
    }

    /// <summary>The end of the suffix: whole lines after the cursor, up to <see cref="SuffixLines"/> and the limit; at
    /// least the rest of the cursor line unless that alone exceeds the limit.</summary>
    private static int SuffixEnd(string text, int cursor, int limit)
    {
        var end = cursor;
        for (var line = 0; line <= SuffixLines && end < text.Length; line++)
        {
            var lineBreak = text.AsSpan(end).IndexOf('\n');
            var next = lineBreak < 0 ? text.Length : end + lineBreak + 1;
            if (next - cursor > limit)
            {
                if (line > 0)
                {
                    return end;
                }
                var cut = cursor + limit;
                return char.IsLowSurrogate(text[cut]) ? cut - 1 : cut;
            }
            end = next;
        }
        return end;
    }
}
