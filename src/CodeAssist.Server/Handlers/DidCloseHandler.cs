using CodeAssist.Features.Completion;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>textDocument/didClose</c>: the disk is the document's truth again.</summary>
public sealed class DidCloseHandler(Workspace workspace, WorkspaceIndex index, CompletionService completion, ServerLog log)
{
    public const string Method = "textDocument/didClose";

    public Task HandleAsync(DidCloseTextDocumentParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (!context.Snapshot.Documents.ContainsKey(request.TextDocument.Uri))
        {
            log.Warning($"didClose for {request.TextDocument.Uri}, which is not open");
            return Task.CompletedTask;
        }
        workspace.Update(snapshot => snapshot with { Documents = snapshot.Documents.Remove(request.TextDocument.Uri) });
        completion.Closed(request.TextDocument.Uri);
        if (DocumentUri.TryGetPath(request.TextDocument.Uri) is { } path)
        {
            index.Close(path);
        }
        return Task.CompletedTask;
    }
}
