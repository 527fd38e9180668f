using System.Collections.Concurrent;
using Bookshelf.Core;

namespace Bookshelf.Services;

/// <summary>A repository in a dictionary: fine for tests, the demo and small branches.</summary>
public class InMemoryRepository<TEntity, TId> : IRepository<TEntity, TId>
    where TEntity : class, IEntity<TId>
    where TId : notnull
{
    private readonly ConcurrentDictionary<TId, TEntity> _items = new();

    public int Count => _items.Count;

    public Task<TEntity?> FindAsync(TId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_items.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<TEntity>> ListAsync(Func<TEntity, bool>? filter = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<TEntity> items = _items.Values.Where(filter ?? (_ => true)).ToList();
        return Task.FromResult(items);
    }

    public Task AddAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_items.TryAdd(entity.Id, entity))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} {entity.Id} is already stored");
        }
        return Task.CompletedTask;
    }

    public Task UpdateAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_items.ContainsKey(entity.Id))
        {
            throw new KeyNotFoundException($"{typeof(TEntity).Name} {entity.Id} is not stored");
        }
        _items[entity.Id] = entity;
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(TId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_items.TryRemove(id, out _));
    }
}
