using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodeAssist.Features.Completion;

/// <summary>
/// How fast the user types, per document, measured from the arrival of each edit: the wait before generating adapts to
/// it. Waiting a little longer than the user's recent gaps between keystrokes means a generation starts only when the user
/// pauses, not between two keystrokes (where the next request would cancel it); a fast typist gets a shorter wait.
/// </summary>
internal sealed class TypingRate
{
    /// <summary>Gaps longer than this are pauses, not typing.</summary>
    private static readonly TimeSpan s_pause = TimeSpan.FromSeconds(1);
    private const int Remembered = 10;

    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan Maximum = TimeSpan.FromMilliseconds(400);
    /// <summary>The wait when recent typing says nothing (the first keystrokes after a pause).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(150);

    private readonly ConcurrentDictionary<string, Document> _documents = new(StringComparer.Ordinal);

    private sealed class Document
    {
        public long LastEdit;
        public readonly Queue<long> Gaps = new();
    }

    /// <summary>An edit of <paramref name="documentKey"/> arrived now.</summary>
    public void Edited(string documentKey) => Edited(documentKey, Stopwatch.GetTimestamp());

    /// <summary>An edit arrived at <paramref name="now"/>, a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public void Edited(string documentKey, long now)
    {
        var document = _documents.GetOrAdd(documentKey, _ => new Document());
        lock (document)
        {
            var gap = Stopwatch.GetElapsedTime(document.LastEdit, now);
            if (document.LastEdit != 0 && gap < s_pause)
            {
                document.Gaps.Enqueue(now - document.LastEdit);
                if (document.Gaps.Count > Remembered)
                {
                    document.Gaps.Dequeue();
                }
            }
            else
            {
                document.Gaps.Clear();
            }
            document.LastEdit = now;
        }
    }

    public void Forget(string documentKey) => _documents.TryRemove(documentKey, out _);

    /// <summary>
    /// How long from now to wait before generating for <paramref name="documentKey"/>: the debounce (fixed when
    /// <paramref name="fixedWait"/> is given, else 1.2 × the longest recent gap, within 50–400 ms) counted from the last
    /// edit's arrival, so a request that arrives late waits less. Zero when the document was not edited lately.
    /// </summary>
    public TimeSpan WaitBeforeGenerating(string documentKey, TimeSpan? fixedWait) => WaitBeforeGenerating(documentKey, fixedWait, Stopwatch.GetTimestamp());

    public TimeSpan WaitBeforeGenerating(string documentKey, TimeSpan? fixedWait, long now)
    {
        if (!_documents.TryGetValue(documentKey, out var document))
        {
            return TimeSpan.Zero;
        }
        TimeSpan debounce;
        long lastEdit;
        lock (document)
        {
            lastEdit = document.LastEdit;
            debounce = fixedWait
                ?? (document.Gaps.Count < 2 ? Default
                    : TimeSpan.FromTicks(Math.Clamp(Stopwatch.GetElapsedTime(0, document.Gaps.Max()).Ticks * 6 / 5, Minimum.Ticks, Maximum.Ticks)));
        }
        var remaining = debounce - Stopwatch.GetElapsedTime(lastEdit, now);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
