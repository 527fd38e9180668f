using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>workspace/didChangeWorkspaceFolders</c>: folders come and go while the server runs.</summary>
public sealed class DidChangeWorkspaceFoldersHandler(Workspace workspace, WorkspaceIndex index)
{
    public const string Method = "workspace/didChangeWorkspaceFolders";

    public Task HandleAsync(DidChangeWorkspaceFoldersParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var removed = request.Event.Removed.Select(f => f.Uri).ToHashSet(StringComparer.Ordinal);
        var folders = context.Snapshot.Folders.RemoveAll(f => removed.Contains(f.Uri)).AddRange(request.Event.Added);
        workspace.Update(snapshot => snapshot with { Folders = folders });
        if (index.Status is not null)
        {
            index.Restart(workspace.Current);
        }
        return Task.CompletedTask;
    }
}
