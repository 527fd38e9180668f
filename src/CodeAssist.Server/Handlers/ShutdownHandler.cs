namespace CodeAssist.Server.Handlers;

/// <summary><c>shutdown</c>: the queue refuses everything but <c>exit</c> after it.</summary>
public sealed class ShutdownHandler(ServerLog log)
{
    public const string Method = "shutdown";

    public Task HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        log.Info("Shutting down");
        return Task.CompletedTask;
    }
}
