using Bookshelf.Core;
using Bookshelf.Services;

namespace Bookshelf.Tests;

public class CatalogServiceTests
{
    private readonly Library _library = new(new FixedClock(new DateOnly(2024, 3, 1)));

    [Theory]
    [InlineData("garcia marquez", 2)]
    [InlineData("GARCÍA soledad", 1)]
    [InlineData("margarita bulgakov", 1)]
    [InlineData("村上", 1)]
    [InlineData("tolstoy", 0)]
    public async Task Search_matches_every_word_ignoring_case_and_accents(string query, int expected)
    {
        await LibrarySeed.SeedAsync(_library);

        var found = await _library.Catalog.SearchAsync(query);

        Assert.Equal(expected, found.Count);
    }

    [Fact]
    public async Task Search_results_are_sorted_by_author_then_year()
    {
        await LibrarySeed.SeedAsync(_library);

        var found = await _library.Catalog.SearchAsync("márquez");

        Assert.Equal([1967, 2006], found.Select(book => book.Year));
    }

    [Fact]
    public async Task Adding_a_known_book_adds_only_copies_with_new_barcodes()
    {
        var book = LibrarySeed.Books[2];
        var first = await _library.Catalog.AddAsync(book, copyCount: 2);
        var more = await _library.Catalog.AddAsync(book with { Title = "ignored" }, copyCount: 1);

        Assert.Equal(1, _library.Books.Count);
        Assert.Equal(["BS-000001", "BS-000002", "BS-000003"], first.Concat(more).Select(copy => copy.Barcode));
        Assert.Equal("The Master and Margarita", (await _library.Catalog.FindAsync(book.Isbn))!.Title);
    }

    [Fact]
    public async Task Shelves_group_books_by_genre()
    {
        await LibrarySeed.SeedAsync(_library);

        var shelves = await _library.Catalog.ShelvesAsync();

        Assert.Equal([Genre.Fiction, Genre.MagicalRealism, Genre.Speculative, Genre.Children], shelves.Keys);
        Assert.Equal(
            ["The Master and Margarita", "Cien años de soledad", "One Hundred Years of Solitude"],
            shelves[Genre.MagicalRealism].Select(book => book.Title));
    }

    [Fact]
    public async Task Damaged_copies_are_not_available()
    {
        var copies = await _library.Catalog.AddAsync(LibrarySeed.Books[4], copyCount: 2);
        copies[0].Condition = CopyCondition.Damaged;

        var availability = await _library.Catalog.AvailabilityAsync(LibrarySeed.Books[4].Isbn);

        Assert.NotNull(availability);
        Assert.Equal((2, 1, true), (availability.Copies, availability.Available, availability.CanBorrow));
        Assert.Same(copies[1], await _library.Catalog.FindAvailableCopyAsync(LibrarySeed.Books[4].Isbn));
    }

    [Fact]
    public void Display_title_joins_title_author_and_year() =>
        Assert.Equal("Norwegian Wood — Haruki Murakami (村上春樹) (2000)", LibrarySeed.Books[3].DisplayTitle());
}
