using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>
/// A small repository the completion-site and compiler-check tests work in: a partial type split over two files, an
/// extension method, an enum, a static factory, a class hierarchy and an interface with implementations.
/// </summary>
internal static class Library
{
    public const string Book = """
        namespace Library.Models;

        public partial class Book
        {
            public string Title { get; set; } = "";
            public string Author { get; set; } = "";

            public static Book Create(string title) => new() { Title = title };
        }
        """;

    public const string BookLoans = """
        namespace Library.Models;

        public partial class Book
        {
            public bool IsBorrowed { get; private set; }

            public void Borrow() => IsBorrowed = true;

            public void Borrow(string reader) => IsBorrowed = reader.Length > 0;
        }
        """;

    public const string Extensions = """
        namespace Library.Models;

        public static class BookExtensions
        {
            public static string Describe(this Book book) => book.Title + " by " + book.Author;
        }
        """;

    public const string Genre = """
        namespace Library.Models;

        public enum Genre { Fiction, History, Science }
        """;

    public const string Media = """
        namespace Library.Models;

        public abstract class Media { }

        public sealed class Novel : Media { }

        public sealed class Atlas : Media { }

        public interface IShelved { }

        public sealed class Shelf : IShelved
        {
            public void Add(Book book) { }
        }
        """;

    /// <summary>The document the tests type in: a method whose body is given.</summary>
    public static string Reader(string body) => $$"""
        using System;
        using Library.Models;

        namespace Library;

        public sealed class Reader
        {
            public void Read(Book book, Shelf shelf)
            {
                {{body}}
            }
        }
        """;

    public static async Task<(TempWorkspace Workspace, ContextEngine Engine)> CreateAsync(string readerText, List<string>? log = null)
    {
        var workspace = new TempWorkspace();
        workspace.Write("src/Models/Book.cs", Book);
        workspace.Write("src/Models/Book.Loans.cs", BookLoans);
        workspace.Write("src/Models/BookExtensions.cs", Extensions);
        workspace.Write("src/Models/Genre.cs", Genre);
        workspace.Write("src/Models/Media.cs", Media);
        workspace.Write("src/Reader.cs", readerText);
        var engine = await workspace.IndexAsync(log: log);
        return (workspace, engine);
    }
}
