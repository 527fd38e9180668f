using Bookshelf.Core;

namespace Bookshelf.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class FixedClock(DateOnly today) : IClock
{
    public DateOnly Today { get; private set; } = today;

    public void Advance(int days) => Today = Today.AddDays(days);
}
