using Bookshelf.Core;

namespace Bookshelf.Services;

public sealed record OverdueLine(string Member, string Barcode, string Title, int DaysLate, decimal FeeSoFar);

public sealed record AuthorPopularity(Author Author, int Loans, int DistinctReaders);

/// <summary>Reports for the librarians: overdue books, popular authors, fees owed.</summary>
public sealed class ReportService(
    IRepository<Loan, Guid> loans,
    IRepository<Book, Isbn> books,
    IRepository<Member, Guid> members,
    LendingPolicy policy,
    IClock clock)
{
    /// <summary>Every overdue loan, most overdue first.</summary>
    public async Task<IReadOnlyList<OverdueLine>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        var today = clock.Today;
        var overdue = (await loans.ListAsync(cancellationToken: cancellationToken)).OverdueOn(today).ToList();
        var titles = (await books.ListAsync(cancellationToken: cancellationToken)).ToDictionary(book => book.Isbn, book => book.Title);

        return overdue
            .Select(loan => new OverdueLine(
                loan.Member.Name,
                loan.Copy.Barcode,
                titles.GetValueOrDefault(loan.Copy.Isbn, "(not in the catalog)"),
                loan.DaysLate(today),
                policy.LateFee(loan.DaysLate(today))))
            .OrderByDescending(line => line.DaysLate)
            .ThenBy(line => line.Member, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The <paramref name="top"/> most borrowed authors, counting every loan ever made.</summary>
    public async Task<IReadOnlyList<AuthorPopularity>> PopularAuthorsAsync(int top = 5, CancellationToken cancellationToken = default)
    {
        var allLoans = await loans.ListAsync(cancellationToken: cancellationToken);
        var catalog = (await books.ListAsync(cancellationToken: cancellationToken)).ToDictionary(book => book.Isbn);

        var query =
            from loan in allLoans
            where catalog.ContainsKey(loan.Copy.Isbn)
            let author = catalog[loan.Copy.Isbn].Author
            group loan by author into byAuthor
            let readers = byAuthor.Select(loan => loan.Member.Id).Distinct().Count()
            orderby byAuthor.Count() descending, readers descending, byAuthor.Key.SortName
            select new AuthorPopularity(byAuthor.Key, byAuthor.Count(), readers);

        return query.Take(top).ToList();
    }

    /// <summary>Total fees owed per membership tier, tiers without fees left out.</summary>
    public async Task<IReadOnlyDictionary<MembershipTier, decimal>> FeesByTierAsync(CancellationToken cancellationToken = default)
    {
        var all = await members.ListAsync(member => member.OutstandingFees > 0, cancellationToken);
        return all
            .GroupBy(member => member.Tier)
            .ToDictionary(group => group.Key, group => group.Sum(member => member.OutstandingFees));
    }
}
