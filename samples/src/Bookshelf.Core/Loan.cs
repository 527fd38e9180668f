namespace Bookshelf.Core;

/// <summary>One copy lent to one member, from the day it was lent until it comes back.</summary>
public sealed class Loan : IEntity<Guid>
{
    /// <summary>Lends <paramref name="copy"/> to <paramref name="member"/>.</summary>
    /// <param name="copy">The copy lent.</param>
    /// <param name="member">Who borrows it.</param>
    /// <param name="loanedOn">The day it was lent.</param>
    /// <param name="dueOn">The day it is due back.</param>
    public Loan(BookCopy copy, Member member, DateOnly loanedOn, DateOnly dueOn)
    {
        if (dueOn < loanedOn)
        {
            throw new ArgumentException($"A loan cannot be due ({dueOn}) before it starts ({loanedOn})", nameof(dueOn));
        }
        Copy = copy;
        Member = member;
        LoanedOn = loanedOn;
        DueOn = dueOn;
    }

    /// <inheritdoc />
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The copy lent.</summary>
    public BookCopy Copy { get; }

    /// <summary>Who borrowed it.</summary>
    public Member Member { get; }

    /// <summary>The day it was lent.</summary>
    public DateOnly LoanedOn { get; }

    /// <summary>The day it is due back; renewing moves it.</summary>
    public DateOnly DueOn { get; private set; }

    /// <summary>The day it came back, or null while it is out.</summary>
    public DateOnly? ReturnedOn { get; private set; }

    /// <summary>How many times the loan was renewed.</summary>
    public int Renewals { get; private set; }

    /// <summary>True while the copy is out.</summary>
    public bool IsOpen => ReturnedOn is null;

    /// <summary>True when the copy is still out after its due date.</summary>
    /// <param name="today">The current date.</param>
    public bool IsOverdue(DateOnly today) => IsOpen && today > DueOn;

    /// <summary>Days past the due date: as of the return for returned loans, as of <paramref name="today"/> otherwise.</summary>
    /// <param name="today">The current date.</param>
    public int DaysLate(DateOnly today)
    {
        var end = ReturnedOn ?? today;
        return Math.Max(0, end.DayNumber - DueOn.DayNumber);
    }

    /// <summary>Extends the loan by <paramref name="days"/> days.</summary>
    /// <param name="days">How many days to add to the due date.</param>
    public void Renew(int days)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException("A returned loan cannot be renewed");
        }
        DueOn = DueOn.AddDays(days);
        Renewals++;
    }

    /// <summary>Closes the loan and records the copy's condition.</summary>
    /// <param name="returnedOn">The day the copy came back.</param>
    /// <param name="condition">The condition it came back in.</param>
    public void Close(DateOnly returnedOn, CopyCondition condition)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Loan {Id} was already returned on {ReturnedOn}");
        }
        ReturnedOn = returnedOn;
        Copy.Condition = condition;
    }
}
