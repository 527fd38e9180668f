using Bookshelf.Core;
using Bookshelf.Services;

namespace Bookshelf.Tests;

public class ReportServiceTests
{
    private readonly FixedClock _clock = new(new DateOnly(2024, 3, 1));

    private async Task<(Library Library, Member Ana, Member Jonas)> SeededAsync()
    {
        var library = new Library(_clock);
        await LibrarySeed.SeedAsync(library);
        var members = await library.Members.ListAsync();
        return (library, members.Single(m => m.Tier == MembershipTier.Student), members.Single(m => m.Tier == MembershipTier.Basic));
    }

    [Fact]
    public async Task Overdue_lists_the_most_overdue_first_with_fees_so_far()
    {
        var (library, ana, jonas) = await SeededAsync();
        await library.Lending.BorrowAsync(ana.Id, LibrarySeed.Books[0].Isbn);   // due in 28 days
        await library.Lending.BorrowAsync(jonas.Id, LibrarySeed.Books[3].Isbn); // due in 21 days
        _clock.Advance(30);

        var report = await library.Reports.OverdueAsync();

        Assert.Equal(
            [
                new OverdueLine("Jonas Øberg", "BS-000007", "Norwegian Wood", 9, 2.25m),
                new OverdueLine("Ana Lucía Pérez", "BS-000001", "Cien años de soledad", 2, 0.50m),
            ],
            report);
    }

    [Fact]
    public async Task Popular_authors_count_loans_and_distinct_readers()
    {
        var (library, ana, jonas) = await SeededAsync();
        await library.Lending.BorrowAsync(ana.Id, LibrarySeed.Books[0].Isbn);
        await library.Lending.BorrowAsync(ana.Id, LibrarySeed.Books[1].Isbn);
        await library.Lending.BorrowAsync(jonas.Id, LibrarySeed.Books[0].Isbn);
        await library.Lending.BorrowAsync(jonas.Id, LibrarySeed.Books[5].Isbn);

        var popular = await library.Reports.PopularAuthorsAsync(top: 2);

        Assert.Equal(
            [new AuthorPopularity(LibrarySeed.GarciaMarquez, 3, 2), new AuthorPopularity(LibrarySeed.LeGuin, 1, 1)],
            popular);
    }

    [Fact]
    public async Task Fees_are_summed_per_tier()
    {
        var (library, ana, jonas) = await SeededAsync();
        ana.Charge(1.25m);
        jonas.Charge(0.75m);
        var other = await library.RegisterAsync("Kim Hoang", "kim@example.org");
        other.Charge(2m);

        var fees = await library.Reports.FeesByTierAsync();

        Assert.Equal(2, fees.Count);
        Assert.Equal(1.25m, fees[MembershipTier.Student]);
        Assert.Equal(2.75m, fees[MembershipTier.Basic]);
    }
}
