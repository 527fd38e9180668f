using CodeAssist.Features.Commit;
using CodeAssist.Git;
using CodeAssist.Git.Tests;

namespace CodeAssist.Features.Tests.Commit;

/// <summary>
/// The API-change extractor on two versions of C# files, as golden files (golden/commit/api-*.txt): one line per change,
/// <c>kind symbol [&lt;- old symbol] (file)</c>.
/// </summary>
public sealed class ApiChangeTests
{
    private const string Lending = """
        namespace Bookshelf.Services;

        public sealed class LendingService
        {
            private readonly List<Loan> _loans = new();

            public LendingService(Clock clock) { }

            /// <summary>Lends a copy.</summary>
            public Loan Lend(Member member, BookCopy copy)
            {
                var loan = new Loan(member, copy);
                _loans.Add(loan);
                return loan;
            }

            public IReadOnlyList<Loan> Overdue(DateOnly today) => _loans.Where(l => l.Due < today).ToList();

            public int Count => _loans.Count;

            internal void Reset() => _loans.Clear();

            private void Audit() { }
        }

        internal sealed class LoanCache
        {
            public void Flush() { }
        }
        """;

    private static string Render(IEnumerable<ApiChange> changes) =>
        string.Concat(changes.Select(c => $"{c.Kind} {c.Symbol}{(c.OldSymbol is null ? "" : " <- " + c.OldSymbol)} ({c.File})\n"));

    private static void Check(string golden, string before, string after) =>
        Golden.Check($"commit/api-{golden}.txt", Render(ApiComparison.Compare("src/LendingService.cs",
            ApiDeclarations.Of(before, CancellationToken.None), ApiDeclarations.Of(after, CancellationToken.None))));

    [Fact]
    public void Added_members_and_types_are_listed_but_not_the_members_of_an_added_type_nor_private_ones() => Check("added", Lending,
        Lending.Replace("    private void Audit() { }", """
                public Loan Renew(Loan loan) => loan;

                protected virtual void OnLent(Loan loan) { }

                private void Audit() { }

                private void AuditMore() { }

                public event EventHandler<Loan>? Lent;

                public sealed record Receipt(Loan Loan, DateOnly Date)
                {
                    public string Text => "";
                }
            """));

    [Fact]
    public void Removed_members_and_types_are_listed_and_internal_ones_are_not() => Check("removed", Lending,
        Lending.Replace("""
                public IReadOnlyList<Loan> Overdue(DateOnly today) => _loans.Where(l => l.Due < today).ToList();
            """, "").Replace("internal void Reset() => _loans.Clear();", "").Replace("""
            internal sealed class LoanCache
            {
                public void Flush() { }
            }
            """, ""));

    [Fact]
    public void A_rename_keeps_the_body_and_changes_the_name_and_a_renamed_type_does_not_list_its_members() => Check("renamed", Lending,
        Lending.Replace("public Loan Lend(Member member, BookCopy copy)", "public Loan Checkout(Member member, BookCopy copy)")
            .Replace("class LendingService", "class CirculationDesk").Replace("public LendingService(Clock clock)", "public CirculationDesk(Clock clock)"));

    [Fact]
    public void A_member_rename_inside_an_unchanged_type_is_one_renamed_change() => Check("renamed-member", Lending,
        Lending.Replace("public Loan Lend(Member member, BookCopy copy)", "public Loan Checkout(Member member, BookCopy copy)"));

    [Fact]
    public void Signature_changes_cover_parameters_return_types_accessors_and_modifiers_but_not_bodies() => Check("signature-changed", Lending,
        Lending.Replace("public Loan Lend(Member member, BookCopy copy)", "public Loan Lend(Member member, BookCopy copy, DateOnly due)")
            .Replace("public int Count => _loans.Count;", "public long Count { get; private set; }")
            .Replace("public IReadOnlyList<Loan> Overdue(DateOnly today) => _loans.Where(l => l.Due < today).ToList();",
                "public IReadOnlyList<Loan> Overdue(DateOnly today) => _loans.Where(l => l.Due <= today).ToList();")
            .Replace("public sealed class LendingService", "public sealed class LendingService : IDisposable"));

    [Fact]
    public void Partial_parts_without_a_modifier_count_as_visible_and_only_their_visible_members_are_listed() => Check("partial", """
        namespace Bookshelf;

        partial class Catalog
        {
            public void Add(Book book) { }
            void Index(Book book) { }
        }

        internal partial class Shelf
        {
            public void Sort() { }
        }
        """, """
        namespace Bookshelf;

        partial class Catalog
        {
            public void Add(Book book, bool index) { }
            public IEnumerable<Book> Find(string title) => [];
            void Index(Book book) { }
            void Reindex() { }
        }

        internal partial class Shelf
        {
            public void Sort(bool descending) { }
        }

        public partial interface ISearch
        {
            IEnumerable<Book> Search(string text);
        }
        """);

    [Fact]
    public async Task Test_files_report_that_tests_changed_files_report_added_and_deleted_and_a_type_moved_between_files_is_no_change()
    {
        using var repository = new TempRepository();
        repository.Write("src/Shelf.cs", "namespace B;\npublic class Shelf { public void Sort() { } }\npublic class Label { public string Text => \"\"; }\n");
        repository.Write("tests/ShelfTests.cs", "public class ShelfTests { [Fact] public void Sorts() { } }\n");
        repository.Write("docs/old.md", "old\n");
        repository.Commit("Start");
        repository.Write("src/Shelf.cs", "namespace B;\npublic class Shelf { public void Sort() { } }\n");
        repository.Write("src/Label.cs", "namespace B;\npublic class Label { public string Text => \"\"; }\n");
        repository.Write("tests/ShelfTests.cs", "public class ShelfTests { [Fact] public void Sorts() { } [Fact] public void SortsTwice() { } }\n");
        repository.Delete("docs/old.md");
        repository.Git("add -A");

        using var git = await GitRepository.OpenAsync(repository.Root, GitOptions.Default, CancellationToken.None);
        var changes = await ApiChanges.CollectAsync(git, await git.StagedChangesAsync(CancellationToken.None), _ => true, CancellationToken.None);

        Golden.Check("commit/api-files-and-tests.txt", Render(changes));
    }

    [Fact]
    public async Task Only_tests_touched_gives_only_tests_changed()
    {
        using var repository = new TempRepository();
        repository.Write("src/Shelf.cs", "public class Shelf { public void Sort() { } }\n");
        repository.Write("tests/Shelf.Tests/SortTests.cs", "public class SortTests { public void Sorts() { } }\n");
        repository.Commit("Start");
        repository.Write("tests/Shelf.Tests/SortTests.cs", "public class SortTests { public void Sorts() { } public void SortsEmpty() { } }\n");
        repository.Git("add -A");

        using var git = await GitRepository.OpenAsync(repository.Root, GitOptions.Default, CancellationToken.None);
        var changes = await ApiChanges.CollectAsync(git, await git.StagedChangesAsync(CancellationToken.None), _ => true, CancellationToken.None);

        Assert.Equal([new ApiChange(ApiChangeKind.TestsChanged, "SortTests", null, "tests/Shelf.Tests/SortTests.cs")], changes);
    }
}
