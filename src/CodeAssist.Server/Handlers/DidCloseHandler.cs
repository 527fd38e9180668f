using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>textDocument/didClose</c>: the disk is the document's truth again.</summary>
public sealed class DidCloseHandler(Workspace workspace, ServerLog log)
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
        return Task.CompletedTask;
    }
}
