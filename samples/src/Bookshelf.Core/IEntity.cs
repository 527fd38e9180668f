namespace Bookshelf.Core;

/// <summary>Something stored by identity: two entities with the same <see cref="Id"/> are the same thing.</summary>
/// <typeparam name="TId">The type of the identifier, such as <see cref="Isbn"/> or <see cref="Guid"/>.</typeparam>
public interface IEntity<out TId>
    where TId : notnull
{
    /// <summary>The identifier, unique among entities of the same type.</summary>
    TId Id { get; }
}
