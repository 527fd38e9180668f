using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>workspace/didChangeWatchedFiles</c>: files created, changed or deleted outside the editor.</summary>
public sealed class DidChangeWatchedFilesHandler(WorkspaceIndex index)
{
    public const string Method = "workspace/didChangeWatchedFiles";

    public Task HandleAsync(DidChangeWatchedFilesParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var paths = request.Changes.Select(c => DocumentUri.TryGetPath(c.Uri)).OfType<string>().ToArray();
        if (paths.Length > 0)
        {
            index.FilesChanged(paths);
        }
        return Task.CompletedTask;
    }
}
