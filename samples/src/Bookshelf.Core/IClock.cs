namespace Bookshelf.Core;

/// <summary>Today's date, behind an interface so tests can choose it.</summary>
public interface IClock
{
    /// <summary>The current date in the library's time zone.</summary>
    DateOnly Today { get; }
}

/// <summary>The machine's clock.</summary>
public sealed class SystemClock : IClock
{
    /// <inheritdoc />
    public DateOnly Today => DateOnly.FromDateTime(DateTime.Now);
}
