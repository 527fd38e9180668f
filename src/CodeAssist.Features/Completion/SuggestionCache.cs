using CodeAssist.Features.Completion.Postprocessing;

namespace CodeAssist.Features.Completion;

/// <summary>
/// Suggestions already made, per document, keyed by the text around the cursor they were made for. Typing the first
/// characters of one (the cursor moves on, the text before it grows by exactly those characters, the text after it stays)
/// answers with the rest of it; backspacing into a state seen before answers with what it got then. No model call either way.
/// </summary>
/// <remarks>
/// The key is the 4096 characters before the cursor, the 1024 after it and the lengths of both sides, not the whole text:
/// comparing windows keeps a lookup in a multi-megabyte file to microseconds, and a change outside both windows and
/// elsewhere in the file leaves the suggestion as good as it was.
/// </remarks>
internal sealed class SuggestionCache
{
    private const int PrefixWindow = 4096;
    private const int SuffixWindow = 1024;
    private const int EntriesPerDocument = 32;
    private const int Documents = 16;

    private readonly object _gate = new();
    // Most recently used last, for documents and for each document's entries.
    private readonly List<(string Key, List<Entry> Entries)> _documents = [];

    private sealed record Entry(int PrefixLength, string PrefixTail, int SuffixLength, string SuffixHead, IReadOnlyList<ProcessedCompletion> Completions);

    public void Store(string documentKey, string text, int cursor, IReadOnlyList<ProcessedCompletion> completions)
    {
        var tailStart = Math.Max(0, cursor - PrefixWindow);
        var headLength = Math.Min(SuffixWindow, text.Length - cursor);
        var entry = new Entry(cursor, text[tailStart..cursor], text.Length - cursor, text.Substring(cursor, headLength), completions);
        lock (_gate)
        {
            var entries = Touch(documentKey);
            entries.RemoveAll(e => e.PrefixLength == entry.PrefixLength && e.SuffixLength == entry.SuffixLength
                && e.PrefixTail == entry.PrefixTail && e.SuffixHead == entry.SuffixHead);
            entries.Add(entry);
            if (entries.Count > EntriesPerDocument)
            {
                entries.RemoveAt(0);
            }
        }
    }

    /// <summary>What is left to show of suggestions made at this point or at one the user has since typed through; null when none.</summary>
    public IReadOnlyList<ProcessedCompletion>? Find(string documentKey, string text, int cursor)
    {
        lock (_gate)
        {
            var index = _documents.FindIndex(d => d.Key == documentKey);
            if (index < 0)
            {
                return null;
            }
            var entries = _documents[index].Entries;
            for (var i = entries.Count - 1; i >= 0; i--)
            {
                if (Remaining(entries[i], text, cursor) is { Count: > 0 } remaining)
                {
                    var entry = entries[i];
                    entries.RemoveAt(i);
                    entries.Add(entry);
                    return remaining;
                }
            }
            return null;
        }
    }

    public void Forget(string documentKey)
    {
        lock (_gate)
        {
            _documents.RemoveAll(d => d.Key == documentKey);
        }
    }

    private static List<ProcessedCompletion>? Remaining(Entry entry, string text, int cursor)
    {
        var typed = cursor - entry.PrefixLength;
        if (typed < 0 || text.Length - cursor != entry.SuffixLength
            || entry.PrefixLength < entry.PrefixTail.Length
            || !text.AsSpan(cursor, entry.SuffixHead.Length).SequenceEqual(entry.SuffixHead)
            || !text.AsSpan(entry.PrefixLength - entry.PrefixTail.Length, entry.PrefixTail.Length).SequenceEqual(entry.PrefixTail))
        {
            return null;
        }
        var typedText = text.AsSpan(entry.PrefixLength, typed);
        var remaining = new List<ProcessedCompletion>();
        foreach (var completion in entry.Completions)
        {
            if (completion.Text.Length <= typed || !completion.Text.AsSpan().StartsWith(typedText, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = completion.Text[typed..];
            // What is left only retypes the text after the cursor: nothing to show.
            if (rest.Length == completion.Retyped && text.AsSpan(cursor, completion.Retyped).SequenceEqual(rest))
            {
                continue;
            }
            remaining.Add(completion with { Text = rest });
        }
        return remaining;
    }

    private List<Entry> Touch(string documentKey)
    {
        var index = _documents.FindIndex(d => d.Key == documentKey);
        var document = index >= 0 ? _documents[index] : (documentKey, new List<Entry>());
        if (index >= 0)
        {
            _documents.RemoveAt(index);
        }
        _documents.Add(document);
        if (_documents.Count > Documents)
        {
            _documents.RemoveAt(0);
        }
        return document.Item2;
    }
}
