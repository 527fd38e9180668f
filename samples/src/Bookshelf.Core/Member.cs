namespace Bookshelf.Core;

/// <summary>What a member pays for, which decides how much they may borrow (see <see cref="LendingPolicy"/>).</summary>
public enum MembershipTier
{
    /// <summary>Free membership.</summary>
    Basic,

    /// <summary>Students, with longer loans.</summary>
    Student,

    /// <summary>Paying members, with the most loans.</summary>
    Premium,
}

/// <summary>Someone registered with the library.</summary>
public sealed class Member : IEntity<Guid>
{
    /// <summary>Registers a member as of <paramref name="joinedOn"/>.</summary>
    /// <param name="name">The member's full name.</param>
    /// <param name="email">Where reminders are sent.</param>
    /// <param name="tier">The membership tier.</param>
    /// <param name="joinedOn">The day the member joined.</param>
    public Member(string name, string email, MembershipTier tier, DateOnly joinedOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        Name = name;
        Email = email;
        Tier = tier;
        JoinedOn = joinedOn;
    }

    /// <inheritdoc />
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The member's full name.</summary>
    public string Name { get; }

    /// <summary>Where reminders are sent.</summary>
    public string Email { get; private set; }

    /// <summary>The membership tier.</summary>
    public MembershipTier Tier { get; private set; }

    /// <summary>The day the member joined.</summary>
    public DateOnly JoinedOn { get; }

    /// <summary>Fees owed for late returns, in euros.</summary>
    public decimal OutstandingFees { get; private set; }

    /// <summary>Members who owe more than this may not borrow.</summary>
    public const decimal FeeLimit = 10m;

    /// <summary>False while the member owes more than <see cref="FeeLimit"/>.</summary>
    public bool MayBorrow => OutstandingFees <= FeeLimit;

    /// <summary>Adds a late fee.</summary>
    /// <param name="amount">The fee, zero or more.</param>
    public void Charge(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        OutstandingFees += amount;
    }

    /// <summary>Records a payment towards outstanding fees.</summary>
    /// <param name="amount">The amount paid, at most what is owed.</param>
    public void Pay(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amount, OutstandingFees);
        OutstandingFees -= amount;
    }

    /// <summary>Moves the member to another tier.</summary>
    /// <param name="tier">The new tier.</param>
    public void ChangeTier(MembershipTier tier) => Tier = tier;

    /// <summary>Changes the address reminders go to.</summary>
    /// <param name="email">The new address.</param>
    public void ChangeEmail(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        Email = email;
    }
}
