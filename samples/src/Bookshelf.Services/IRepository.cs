using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>Storage for one kind of entity. Implementations may be a database; tests and the demo use memory.</summary>
public interface IRepository<TEntity, TId>
    where TEntity : class, IEntity<TId>
    where TId : notnull
{
    Task<TEntity?> FindAsync(TId id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TEntity>> ListAsync(Func<TEntity, bool>? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Adds an entity; throws when one with the same id is already stored.</summary>
    Task AddAsync(TEntity entity, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored entity with the same id.</summary>
    Task UpdateAsync(TEntity entity, CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(TId id, CancellationToken cancellationToken = default);
}
