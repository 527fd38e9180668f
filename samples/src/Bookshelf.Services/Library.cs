using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>
/// One branch, wired together: repositories in memory, the standard policy, and the services on top.
/// The front-desk app and the tests start from here.
/// </summary>
public sealed class Library
{
    public Library(IClock? clock = null, LendingPolicy? policy = null)
    {
        Clock = clock ?? new SystemClock();
        Policy = policy ?? new StandardLendingPolicy();
        Catalog = new CatalogService(Books, Copies, Loans);
        Lending = new LendingService(Catalog, Members, Loans, Policy, Clock, Notifier);
        Reports = new ReportService(Loans, Books, Members, Policy, Clock);
    }

    public IClock Clock { get; }
    public LendingPolicy Policy { get; }

    public InMemoryRepository<Book, Isbn> Books { get; } = new();
    public InMemoryRepository<BookCopy, Guid> Copies { get; } = new();
    public InMemoryRepository<Member, Guid> Members { get; } = new();
    public InMemoryRepository<Loan, Guid> Loans { get; } = new();
    public OutboxNotifier Notifier { get; } = new();

    public CatalogService Catalog { get; }
    public LendingService Lending { get; }
    public ReportService Reports { get; }

    public async Task<Member> RegisterAsync(string name, string email, MembershipTier tier = MembershipTier.Basic, CancellationToken cancellationToken = default)
    {
        var member = new Member(name, email, tier, Clock.Today);
        await Members.AddAsync(member, cancellationToken);
        return member;
    }
}
