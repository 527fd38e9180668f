namespace Bookshelf.Core;

/// <summary>The rules most branches use: three weeks, longer for students, shorter for new children's books.</summary>
public sealed class StandardLendingPolicy : LendingPolicy
{
    /// <inheritdoc />
    public override int MaxOpenLoans(Member member) => member.Tier switch
    {
        MembershipTier.Basic => 3,
        MembershipTier.Student => 5,
        MembershipTier.Premium => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(member), member.Tier, "Unknown membership tier"),
    };

    /// <inheritdoc />
    public override int LoanDays(Member member, Book book)
    {
        var days = member.Tier == MembershipTier.Student ? 28 : 21;
        // Popular picture books go round faster.
        return book.Genre == Genre.Children ? days / 2 : days;
    }

    /// <inheritdoc />
    public override decimal LateFee(int daysLate) => base.LateFee(daysLate);
}
