using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>A book with how many of its copies can be lent right now.</summary>
public sealed record Availability(Book Book, int Copies, int Available)
{
    public bool CanBorrow => Available > 0;
}

/// <summary>The catalog: which books the library has, their copies, and searching them.</summary>
public sealed class CatalogService(
    IRepository<Book, Isbn> books,
    IRepository<BookCopy, Guid> copies,
    IRepository<Loan, Guid> loans)
{
    private int _nextBarcode = 1;

    /// <summary>Adds a book with <paramref name="copyCount"/> new copies, or only the copies when the book is known.</summary>
    public async Task<IReadOnlyList<BookCopy>> AddAsync(Book book, int copyCount = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copyCount);
        if (await books.FindAsync(book.Isbn, cancellationToken) is null)
        {
            await books.AddAsync(book, cancellationToken);
        }

        var added = new List<BookCopy>(copyCount);
        for (var i = 0; i < copyCount; i++)
        {
            var copy = new BookCopy(book.Isbn, $"BS-{Interlocked.Increment(ref _nextBarcode) - 1:D6}");
            await copies.AddAsync(copy, cancellationToken);
            added.Add(copy);
        }
        return added;
    }

    public Task<Book?> FindAsync(Isbn isbn, CancellationToken cancellationToken = default) => books.FindAsync(isbn, cancellationToken);

    /// <summary>Books whose title or author contains every word of <paramref name="query"/>, accents ignored.</summary>
    public async Task<IReadOnlyList<Book>> SearchAsync(string query, CancellationToken cancellationToken = default)
    {
        var words = BookExtensions.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var all = await books.ListAsync(cancellationToken: cancellationToken);
        return all
            .Where(book =>
            {
                var haystack = BookExtensions.Fold($"{book.Title} {book.Author.Name}");
                return words.All(word => haystack.Contains(word, StringComparison.Ordinal));
            })
            .OrderBy(book => book.Author.SortName, StringComparer.Ordinal)
            .ThenBy(book => book.Year)
            .ToList();
    }

    /// <summary>The catalog by genre, each shelf sorted by author.</summary>
    public async Task<IReadOnlyDictionary<Genre, IReadOnlyList<Book>>> ShelvesAsync(CancellationToken cancellationToken = default)
    {
        var all = await books.ListAsync(cancellationToken: cancellationToken);
        return all
            .GroupBy(book => book.Genre)
            .OrderBy(group => group.Key)
            .ToDictionary(
                group => group.Key,
                group => (IReadOnlyList<Book>)group.OrderBy(book => book.Author.SortName).ThenBy(book => book.Title).ToList());
    }

    public async Task<Availability?> AvailabilityAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        var book = await books.FindAsync(isbn, cancellationToken);
        if (book is null)
        {
            return null;
        }
        var bookCopies = await copies.ListAsync(copy => copy.Isbn == isbn, cancellationToken);
        var allLoans = await loans.ListAsync(loan => loan.IsOpen, cancellationToken);
        var available = bookCopies.Count(copy => copy.IsAvailable(allLoans));
        return new Availability(book, bookCopies.Count, available);
    }

    /// <summary>A copy of the book that can be lent now, or null when all are out or unlendable.</summary>
    public async Task<BookCopy?> FindAvailableCopyAsync(Isbn isbn, CancellationToken cancellationToken = default)
    {
        var bookCopies = await copies.ListAsync(copy => copy.Isbn == isbn, cancellationToken);
        var openLoans = await loans.ListAsync(loan => loan.IsOpen, cancellationToken);
        return bookCopies
            .Where(copy => copy.IsAvailable(openLoans))
            .OrderBy(copy => copy.Condition)
            .ThenBy(copy => copy.Barcode, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
