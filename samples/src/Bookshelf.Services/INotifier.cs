namespace Bookshelf.Services;

/// <summary>A message for a member: a reminder, a receipt, a notice that a reserved book is back.</summary>
public sealed record Notification(string To, string Subject, string Body);

/// <summary>Sends notifications to members (e-mail in production).</summary>
public interface INotifier
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken = default);
}

/// <summary>Keeps notifications instead of sending them: the demo shows them and tests assert on them.</summary>
public sealed class OutboxNotifier : INotifier
{
    private readonly List<Notification> _sent = [];

    public IReadOnlyList<Notification> Sent => _sent;

    public Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        lock (_sent)
        {
            _sent.Add(notification);
        }
        return Task.CompletedTask;
    }
}
