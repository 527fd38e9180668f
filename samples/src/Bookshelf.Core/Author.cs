namespace Bookshelf.Core;

/// <summary>A person who wrote books in the catalog.</summary>
/// <param name="Name">The name as printed on the cover, in its own spelling ("Gabriel García Márquez").</param>
/// <param name="Country">Where the author comes from, when known.</param>
public sealed record Author(string Name, string? Country = null)
{
    /// <summary>The family name, used to sort the catalog: the last word of <see cref="Name"/>.</summary>
    /// <remarks>Spanish double surnames ("García Márquez") sort by the first one, which this does not know.</remarks>
    public string SortName => Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? Name;

    /// <inheritdoc />
    public override string ToString() => Country is null ? Name : $"{Name} ({Country})";
}
