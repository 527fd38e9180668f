using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>workspace/didChangeConfiguration</c>: settings change without a restart.</summary>
public sealed class DidChangeConfigurationHandler(Workspace workspace, WorkspaceIndex index, ModelHost model, ServerLog log)
{
    public const string Method = "workspace/didChangeConfiguration";

    public Task HandleAsync(DidChangeConfigurationParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var settings = ServerSettings.Parse(request.Settings, context.Snapshot.Settings, log.Warning);
        log.Configure(settings);
        workspace.Update(snapshot => snapshot with { Settings = settings });
        if (index.Status is null)
        {
            // Not initialized yet: 'initialized' starts the index and the model with these settings.
            return Task.CompletedTask;
        }
        model.Use(settings);
        if (!settings.Exclude.SequenceEqual(context.Snapshot.Settings.Exclude))
        {
            log.Info("Exclusions changed: indexing again");
            index.Restart(workspace.Current);
        }
        return Task.CompletedTask;
    }
}
