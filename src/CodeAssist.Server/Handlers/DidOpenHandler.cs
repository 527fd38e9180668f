using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>textDocument/didOpen</c>: from now on the client's text, not the disk's, is the document.</summary>
public sealed class DidOpenHandler(Workspace workspace, WorkspaceIndex index, ServerLog log)
{
    public const string Method = "textDocument/didOpen";

    public Task HandleAsync(DidOpenTextDocumentParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var item = request.TextDocument;
        if (context.Snapshot.Documents.ContainsKey(item.Uri))
        {
            log.Warning($"{item.Uri} was opened twice; keeping the newer text");
        }
        var document = new TrackedDocument(item.Uri, item.LanguageId, item.Version, item.Text);
        workspace.Update(snapshot => snapshot with { Documents = snapshot.Documents.SetItem(item.Uri, document) });
        if (DocumentUri.TryGetPath(item.Uri) is { } path)
        {
            index.SetText(path, item.Text);
        }
        return Task.CompletedTask;
    }
}
