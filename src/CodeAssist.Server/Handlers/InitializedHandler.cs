using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>initialized</c>: the client is ready for requests from us, so indexing and model loading start in the
/// background (indexing with progress) and file watching is registered where the client allows it.
/// </summary>
public sealed class InitializedHandler(Workspace workspace, WorkspaceIndex index, ModelHost model, JsonRpcConnection connection, ServerLog log)
{
    public const string Method = "initialized";

    public Task HandleAsync(JsonElement request, RequestContext context, CancellationToken cancellationToken)
    {
        index.Restart(workspace.Current);
        model.Use(context.Snapshot.Settings);
        if (context.Snapshot.Client.Workspace?.DidChangeWatchedFiles?.DynamicRegistration == true)
        {
            _ = RegisterFileWatchingAsync();
        }
        return Task.CompletedTask;
    }

    private async Task RegisterFileWatchingAsync()
    {
        var registration = new RegistrationParams([
            new Registration("codeassist/watchedFiles", DidChangeWatchedFilesHandler.Method,
                new DidChangeWatchedFilesRegistrationOptions([new Protocol.FileSystemWatcher("**/*")])),
        ]);
        try
        {
            await connection.SendRequestAsync("client/registerCapability", registration, ProtocolJson.Default.RegistrationParams, CancellationToken.None);
        }
        catch (Exception exception) when (exception is LspException or IOException)
        {
            log.Warning($"The client refused file watching ({exception.Message}); files changed outside the editor are seen when opened");
        }
    }
}
