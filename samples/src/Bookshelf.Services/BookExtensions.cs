using System.Globalization;
using System.Text;
using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>Small helpers over books and loans used by the services and the front desk.</summary>
public static class BookExtensions
{
    /// <summary>"Cien años de soledad — Gabriel García Márquez (1967)".</summary>
    public static string DisplayTitle(this Book book) => $"{book.Title} — {book.Author.Name} ({book.Year})";

    public static IEnumerable<Book> ByAuthor(this IEnumerable<Book> books, string name) =>
        books.Where(b => Fold(b.Author.Name).Contains(Fold(name), StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<Book> InGenre(this IEnumerable<Book> books, Genre genre) => books.Where(b => b.Genre == genre);

    public static IEnumerable<Loan> Open(this IEnumerable<Loan> loans) => loans.Where(l => l.IsOpen);

    public static IEnumerable<Loan> OverdueOn(this IEnumerable<Loan> loans, DateOnly today) => loans.Where(l => l.IsOverdue(today));

    /// <summary>True when no open loan holds this copy.</summary>
    public static bool IsAvailable(this BookCopy copy, IEnumerable<Loan> loans) =>
        copy.IsLendable && !loans.Open().Any(l => l.Copy.Id == copy.Id);

    /// <summary>
    /// Lower case without accents, so "garcia marquez" finds "García Márquez" and "bulgakov" finds
    /// "Bulgákov". (Scripts without a decomposition, like 村上春樹, are compared as they are.)
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
