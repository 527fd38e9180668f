using Bookshelf.Core;
using Bookshelf.Services;

namespace Bookshelf.Tests;

public class LendingServiceTests
{
    private static readonly Isbn CienAnos = Isbn.Parse("978-84-376-0494-7");
    private static readonly Isbn Pippi = Isbn.Parse("978-0-19-953556-9");

    private readonly FixedClock _clock = new(new DateOnly(2024, 3, 1));
    private readonly Library _library;

    public LendingServiceTests()
    {
        _library = new Library(_clock);
        LibrarySeed.SeedAsync(_library).GetAwaiter().GetResult();
    }

    private async Task<Member> MemberAsync(string name) =>
        (await _library.Members.ListAsync(m => m.Name == name)).Single();

    [Fact]
    public async Task Borrowing_lends_a_copy_for_the_policy_period_and_notifies_the_member()
    {
        var ana = await MemberAsync("Ana Lucía Pérez");

        var result = await _library.Lending.BorrowAsync(ana.Id, CienAnos);

        Assert.True(result.IsSuccess, result.Error);
        var loan = result.Value!;
        Assert.Equal(new DateOnly(2024, 3, 29), loan.DueOn); // students get 28 days
        Assert.Equal(CienAnos, loan.Copy.Isbn);
        var notification = Assert.Single(_library.Notifier.Sent);
        Assert.Equal("ana@example.org", notification.To);
        Assert.Contains("Cien años de soledad — Gabriel García Márquez (1967)", notification.Body);
    }

    [Fact]
    public async Task Childrens_books_are_lent_for_half_the_time()
    {
        var jonas = await MemberAsync("Jonas Øberg");

        var loan = (await _library.Lending.BorrowAsync(jonas.Id, Pippi)).Value!;

        Assert.Equal(_clock.Today.AddDays(10), loan.DueOn);
    }

    [Fact]
    public async Task When_every_copy_is_out_borrowing_is_refused()
    {
        var ana = await MemberAsync("Ana Lucía Pérez");
        var jonas = await MemberAsync("Jonas Øberg");
        var third = await _library.RegisterAsync("Kim Hoang", "kim@example.org");
        Assert.True((await _library.Lending.BorrowAsync(ana.Id, CienAnos)).IsSuccess);
        Assert.True((await _library.Lending.BorrowAsync(jonas.Id, CienAnos)).IsSuccess);

        var result = await _library.Lending.BorrowAsync(third.Id, CienAnos);

        Assert.False(result.IsSuccess);
        Assert.Equal("All copies of “Cien años de soledad” are out", result.Error);
    }

    [Fact]
    public async Task A_member_at_the_loan_limit_is_refused()
    {
        var jonas = await MemberAsync("Jonas Øberg"); // basic: 3 loans
        foreach (var book in LibrarySeed.Books.Take(3))
        {
            Assert.True((await _library.Lending.BorrowAsync(jonas.Id, book.Isbn)).IsSuccess);
        }

        var result = await _library.Lending.BorrowAsync(jonas.Id, LibrarySeed.Books[3].Isbn);

        Assert.Equal("Jonas Øberg already has 3 of 3 loans", result.Error);
    }

    [Fact]
    public async Task Returning_late_charges_the_fee_and_frees_the_copy()
    {
        var jonas = await MemberAsync("Jonas Øberg");
        var loan = (await _library.Lending.BorrowAsync(jonas.Id, CienAnos)).Value!;
        _clock.Advance(21 + 6);

        var fee = await _library.Lending.ReturnAsync(loan.Id, CopyCondition.Worn);

        Assert.Equal(1.50m, fee.Value);
        Assert.Equal(1.50m, jonas.OutstandingFees);
        Assert.Equal(CopyCondition.Worn, loan.Copy.Condition);
        var availability = await _library.Catalog.AvailabilityAsync(CienAnos);
        Assert.Equal(new Availability(LibrarySeed.Books[0], 2, 2), availability);
    }

    [Fact]
    public async Task A_loan_cannot_be_returned_twice()
    {
        var ana = await MemberAsync("Ana Lucía Pérez");
        var loan = (await _library.Lending.BorrowAsync(ana.Id, CienAnos)).Value!;
        await _library.Lending.ReturnAsync(loan.Id);

        var again = await _library.Lending.ReturnAsync(loan.Id);

        Assert.False(again.IsSuccess);
        Assert.StartsWith($"The copy {loan.Copy.Barcode} was already returned", again.Error);
    }

    [Fact]
    public async Task Renewing_extends_the_due_date_up_to_the_limit()
    {
        var ana = await MemberAsync("Ana Lucía Pérez");
        var loan = (await _library.Lending.BorrowAsync(ana.Id, CienAnos)).Value!;

        var first = await _library.Lending.RenewAsync(loan.Id);
        var second = await _library.Lending.RenewAsync(loan.Id);
        var third = await _library.Lending.RenewAsync(loan.Id);

        Assert.Equal(new DateOnly(2024, 4, 26), first.Value);
        Assert.Equal(new DateOnly(2024, 5, 24), second.Value);
        Assert.Equal("The loan was already renewed 2 times", third.Error);
    }

    [Fact]
    public async Task Overdue_reminders_go_to_each_late_member()
    {
        var ana = await MemberAsync("Ana Lucía Pérez");
        var jonas = await MemberAsync("Jonas Øberg");
        await _library.Lending.BorrowAsync(ana.Id, CienAnos);
        await _library.Lending.BorrowAsync(jonas.Id, Pippi);
        _clock.Advance(11);

        var sent = await _library.Lending.RemindOverdueAsync();

        Assert.Equal(1, sent);
        var reminder = _library.Notifier.Sent[^1];
        Assert.Equal(("jonas@example.org", "A book is overdue"), (reminder.To, reminder.Subject));
        Assert.EndsWith("was due 1 day ago.", reminder.Body);
    }

    [Fact]
    public async Task Members_owing_too_much_may_not_borrow()
    {
        var jonas = await MemberAsync("Jonas Øberg");
        jonas.Charge(12.5m);

        var result = await _library.Lending.BorrowAsync(jonas.Id, CienAnos);

        Assert.Equal("Jonas Øberg owes 12.50 €, more than the 10.00 € limit", result.Error);
    }
}
