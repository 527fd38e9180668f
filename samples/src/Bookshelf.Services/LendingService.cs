using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>Lending and returning copies, under a <see cref="LendingPolicy"/>.</summary>
public sealed class LendingService(
    CatalogService catalog,
    IRepository<Member, Guid> members,
    IRepository<Loan, Guid> loans,
    LendingPolicy policy,
    IClock clock,
    INotifier notifier)
{
    /// <summary>Lends a copy of <paramref name="isbn"/> to the member, or says why not.</summary>
    public async Task<Result<Loan>> BorrowAsync(Guid memberId, Isbn isbn, CancellationToken cancellationToken = default)
    {
        var member = await members.FindAsync(memberId, cancellationToken);
        if (member is null)
        {
            return Result<Loan>.Fail($"No member with id {memberId}");
        }

        var book = await catalog.FindAsync(isbn, cancellationToken);
        if (book is null)
        {
            return Result<Loan>.Fail($"The catalog has no book with ISBN {isbn}");
        }

        var openLoans = await loans.ListAsync(loan => loan.IsOpen && loan.Member.Id == memberId, cancellationToken);
        if (policy.RefusalReason(member, openLoans.Count) is { } reason)
        {
            return Result<Loan>.Fail(reason);
        }
        if (openLoans.Any(loan => loan.Copy.Isbn == isbn))
        {
            return Result<Loan>.Fail($"{member.Name} already has a copy of “{book.Title}”");
        }

        var copy = await catalog.FindAvailableCopyAsync(isbn, cancellationToken);
        if (copy is null)
        {
            return Result<Loan>.Fail($"All copies of “{book.Title}” are out");
        }

        var today = clock.Today;
        var loan = new Loan(copy, member, today, today.AddDays(policy.LoanDays(member, book)));
        await loans.AddAsync(loan, cancellationToken);
        await notifier.SendAsync(
            new Notification(member.Email, $"You borrowed {book.Title}", $"{book.DisplayTitle()} is due back on {loan.DueOn:yyyy-MM-dd}."),
            cancellationToken);
        return Result<Loan>.Ok(loan);
    }

    /// <summary>Closes the loan, charging a late fee when it is overdue. Returns the fee.</summary>
    public async Task<Result<decimal>> ReturnAsync(Guid loanId, CopyCondition condition = CopyCondition.Good, CancellationToken cancellationToken = default)
    {
        var loan = await loans.FindAsync(loanId, cancellationToken);
        if (loan is null)
        {
            return Result<decimal>.Fail($"No loan with id {loanId}");
        }
        if (!loan.IsOpen)
        {
            return Result<decimal>.Fail($"The copy {loan.Copy.Barcode} was already returned on {loan.ReturnedOn:yyyy-MM-dd}");
        }

        var today = clock.Today;
        loan.Close(today, condition);
        var fee = policy.LateFee(loan.DaysLate(today));
        if (fee > 0)
        {
            loan.Member.Charge(fee);
        }
        await loans.UpdateAsync(loan, cancellationToken);
        return Result<decimal>.Ok(fee);
    }

    /// <summary>Extends an open loan by the policy's loan period, up to <see cref="LendingPolicy.MaxRenewals"/> times.</summary>
    public async Task<Result<DateOnly>> RenewAsync(Guid loanId, CancellationToken cancellationToken = default)
    {
        var loan = await loans.FindAsync(loanId, cancellationToken);
        if (loan is null || !loan.IsOpen)
        {
            return Result<DateOnly>.Fail($"No open loan with id {loanId}");
        }
        if (loan.Renewals >= policy.MaxRenewals)
        {
            return Result<DateOnly>.Fail($"The loan was already renewed {loan.Renewals} times");
        }
        if (loan.IsOverdue(clock.Today))
        {
            return Result<DateOnly>.Fail("An overdue loan cannot be renewed; please return the book");
        }

        var book = await catalog.FindAsync(loan.Copy.Isbn, cancellationToken)
            ?? throw new InvalidOperationException($"Loan {loanId} refers to ISBN {loan.Copy.Isbn}, which is not in the catalog");
        loan.Renew(policy.LoanDays(loan.Member, book));
        await loans.UpdateAsync(loan, cancellationToken);
        return Result<DateOnly>.Ok(loan.DueOn);
    }

    /// <summary>Sends a reminder for every overdue loan; returns how many were sent. ⏰</summary>
    public async Task<int> RemindOverdueAsync(CancellationToken cancellationToken = default)
    {
        var today = clock.Today;
        var overdue = await loans.ListAsync(loan => loan.IsOverdue(today), cancellationToken);
        foreach (var loan in overdue.OrderBy(loan => loan.DueOn))
        {
            var days = loan.DaysLate(today);
            await notifier.SendAsync(
                new Notification(loan.Member.Email, "A book is overdue", $"The copy {loan.Copy.Barcode} was due {days} day{(days == 1 ? "" : "s")} ago."),
                cancellationToken);
        }
        return overdue.Count;
    }
}
