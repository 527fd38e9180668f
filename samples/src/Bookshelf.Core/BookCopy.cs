namespace Bookshelf.Core;

/// <summary>The state a physical copy is in, checked when it comes back.</summary>
public enum CopyCondition
{
    /// <summary>As new.</summary>
    Good,

    /// <summary>Readable, with visible wear.</summary>
    Worn,

    /// <summary>Needs repair before it can be lent again.</summary>
    Damaged,

    /// <summary>Never returned, or past saving.</summary>
    Lost,
}

/// <summary>One physical copy of a <see cref="Book"/>, with its own barcode and condition.</summary>
public sealed class BookCopy : IEntity<Guid>
{
    /// <summary>Creates a copy in good condition.</summary>
    /// <param name="isbn">The book this is a copy of.</param>
    /// <param name="barcode">The label on the spine, such as "BS-000123".</param>
    public BookCopy(Isbn isbn, string barcode)
    {
        Isbn = isbn;
        Barcode = barcode;
    }

    /// <inheritdoc />
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The book this is a copy of.</summary>
    public Isbn Isbn { get; }

    /// <summary>The label on the spine.</summary>
    public string Barcode { get; }

    /// <summary>The condition recorded at the last return.</summary>
    public CopyCondition Condition { get; set; } = CopyCondition.Good;

    /// <summary>Whether the copy may be lent in its current condition.</summary>
    public bool IsLendable => Condition is CopyCondition.Good or CopyCondition.Worn;
}
