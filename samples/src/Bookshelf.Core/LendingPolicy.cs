namespace Bookshelf.Core;

/// <summary>
/// The rules of lending: how many books a member may hold, for how long, and what a late return costs.
/// Libraries differ, so the rules are a class to derive from (see <see cref="StandardLendingPolicy"/>).
/// </summary>
public abstract class LendingPolicy
{
    /// <summary>How many open loans <paramref name="member"/> may have at once.</summary>
    /// <param name="member">The member asking to borrow.</param>
    public abstract int MaxOpenLoans(Member member);

    /// <summary>How many days <paramref name="member"/> may keep <paramref name="book"/>.</summary>
    /// <param name="member">The member borrowing.</param>
    /// <param name="book">The book borrowed.</param>
    public abstract int LoanDays(Member member, Book book);

    /// <summary>How many times a loan may be renewed.</summary>
    public virtual int MaxRenewals => 2;

    /// <summary>The fee for returning a book <paramref name="daysLate"/> days late, in euros.</summary>
    /// <param name="daysLate">Days past the due date.</param>
    public virtual decimal LateFee(int daysLate) => daysLate <= 0 ? 0m : Math.Min(daysLate * 0.25m, 5m);

    /// <summary>Why <paramref name="member"/> may not borrow now, or null when they may.</summary>
    /// <param name="member">The member asking to borrow.</param>
    /// <param name="openLoans">How many loans they have open.</param>
    public virtual string? RefusalReason(Member member, int openLoans)
    {
        if (!member.MayBorrow)
        {
            return FormattableString.Invariant($"{member.Name} owes {member.OutstandingFees:0.00} €, more than the {Member.FeeLimit:0.00} € limit");
        }
        var max = MaxOpenLoans(member);
        return openLoans >= max ? $"{member.Name} already has {openLoans} of {max} loans" : null;
    }
}
