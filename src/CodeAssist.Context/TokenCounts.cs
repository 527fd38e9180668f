using System.Collections.Concurrent;

namespace CodeAssist.Context;

/// <summary>
/// A tokenizer's counts, remembered by text: a query packs mostly the same declarations as the query a keystroke
/// before, and a model's tokenizer costs microseconds per item where a lookup costs nanoseconds.
/// </summary>
internal sealed class TokenCounts(Func<string, int> count)
{
    // Bounded, and emptied when full rather than evicted one by one: the next queries count again what they use.
    private const int MaxTexts = 16384;
    private ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _size;

    public int Count(string text)
    {
        var counts = _counts;
        if (counts.TryGetValue(text, out int tokens)) return tokens;
        tokens = count(text);
        if (Interlocked.Increment(ref _size) > MaxTexts)
        {
            _counts = counts = new(StringComparer.Ordinal);
            Interlocked.Exchange(ref _size, 1);
        }
        counts[text] = tokens;
        return tokens;
    }
}
