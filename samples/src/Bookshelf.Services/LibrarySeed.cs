using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>A starter catalog for the demo: a few classics in their own languages. 📚</summary>
public static class LibrarySeed
{
    public static readonly Author GarciaMarquez = new("Gabriel García Márquez", "Colombia");
    public static readonly Author Bulgakov = new("Mikhail Bulgakov", "Russia");
    public static readonly Author Murakami = new("Haruki Murakami (村上春樹)", "Japan");
    public static readonly Author Lindgren = new("Astrid Lindgren", "Sweden");
    public static readonly Author LeGuin = new("Ursula K. Le Guin", "United States");

    public static IReadOnlyList<Book> Books { get; } =
    [
        new(Isbn.Parse("978-84-376-0494-7"), "Cien años de soledad", GarciaMarquez, 1967, Genre.MagicalRealism)
        {
            Tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "classic", "book club" },
        },
        new(Isbn.Parse("978-0-06-088328-7"), "One Hundred Years of Solitude", GarciaMarquez, 2006, Genre.MagicalRealism),
        new(Isbn.Parse("978-0-14-118776-1"), "The Master and Margarita", Bulgakov, 1997, Genre.MagicalRealism),
        new(Isbn.Parse("978-0-375-70402-4"), "Norwegian Wood", Murakami, 2000, Genre.Fiction),
        new(Isbn.Parse("978-0-19-953556-9"), "Pippi Longstocking", Lindgren, 2007, Genre.Children),
        new(Isbn.Parse("978-0-14-303943-3"), "The Left Hand of Darkness", LeGuin, 2000, Genre.Speculative),
    ];

    /// <summary>Fills <paramref name="library"/> with the books above, two copies each, and two members.</summary>
    public static async Task SeedAsync(Library library, CancellationToken cancellationToken = default)
    {
        foreach (var book in Books)
        {
            await library.Catalog.AddAsync(book, copyCount: 2, cancellationToken);
        }
        await library.RegisterAsync("Ana Lucía Pérez", "ana@example.org", MembershipTier.Student, cancellationToken);
        await library.RegisterAsync("Jonas Øberg", "jonas@example.org", MembershipTier.Basic, cancellationToken);
    }
}
