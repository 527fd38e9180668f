using System.Diagnostics;
using CodeAssist.Features.Completion;

namespace CodeAssist.Features.Tests.Completion;

/// <summary>The adaptive debounce, on explicit timestamps: a little longer than the user's recent gaps, counted from the last edit.</summary>
public sealed class TypingRateTests
{
    private const string Key = "file:///a.cs";

    private static long At(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);

    private static double WaitMs(TypingRate rate, double nowMs, int? fixedMs = null) =>
        Math.Round(rate.WaitBeforeGenerating(Key, fixedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, At(nowMs)).TotalMilliseconds);

    [Fact]
    public void A_document_not_edited_lately_needs_no_wait()
    {
        Assert.Equal(0, WaitMs(new TypingRate(), 1000));
    }

    [Fact]
    public void Steady_typing_waits_a_fifth_longer_than_the_longest_recent_gap()
    {
        var rate = new TypingRate();
        foreach (var ms in new[] { 1000, 1100, 1200, 1290, 1400 })
        {
            rate.Edited(Key, At(ms));
        }
        // Gaps 100, 100, 90, 110: the debounce is 132 ms after the last edit, 30 ms of which have passed.
        Assert.Equal(102, WaitMs(rate, 1430));
        Assert.Equal(0, WaitMs(rate, 1600));
    }

    [Fact]
    public void The_first_keystrokes_after_a_pause_wait_the_default()
    {
        var rate = new TypingRate();
        rate.Edited(Key, At(1000));
        rate.Edited(Key, At(1100));
        rate.Edited(Key, At(5000)); // a pause of almost 4 s: the earlier gaps no longer say how fast the user types
        Assert.Equal(TypingRate.Default.TotalMilliseconds, WaitMs(rate, 5000));
    }

    [Fact]
    public void The_wait_stays_within_its_bounds_and_a_fixed_setting_wins()
    {
        var fast = new TypingRate();
        var slow = new TypingRate();
        for (var i = 0; i < 5; i++)
        {
            fast.Edited(Key, At(1000 + 5 * i));
            slow.Edited(Key, At(1000 + 900 * i));
        }
        Assert.Equal(TypingRate.Minimum.TotalMilliseconds, WaitMs(fast, 1020));
        Assert.Equal(TypingRate.Maximum.TotalMilliseconds, WaitMs(slow, 4600));
        Assert.Equal(250, WaitMs(slow, 4600, fixedMs: 250));
    }
}
