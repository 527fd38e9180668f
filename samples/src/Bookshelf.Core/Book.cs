namespace Bookshelf.Core;

/// <summary>A title in the catalog. The library may own several <see cref="BookCopy"/> instances of one book.</summary>
/// <param name="Isbn">The book's ISBN, which identifies it.</param>
/// <param name="Title">The title in the language of this edition.</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Year">The year this edition was published.</param>
/// <param name="Genre">Where it is shelved.</param>
public sealed record Book(Isbn Isbn, string Title, Author Author, int Year, Genre Genre) : IEntity<Isbn>
{
    /// <inheritdoc />
    public Isbn Id => Isbn;

    /// <summary>Free-form tags ("classic", "book club"), compared without case.</summary>
    public IReadOnlySet<string> Tags { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True for books published more than <paramref name="years"/> years before <paramref name="today"/>.</summary>
    /// <param name="today">The date to count from.</param>
    /// <param name="years">How old a book must be to count as old.</param>
    public bool IsOlderThan(DateOnly today, int years) => today.Year - Year > years;
}
