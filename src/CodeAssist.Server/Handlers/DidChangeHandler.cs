using CodeAssist.Features.Completion;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>textDocument/didChange</c>: applies incremental (or whole-text) changes in order. Positions past a
/// line's or the document's end are clamped, as the specification says.
/// </summary>
public sealed class DidChangeHandler(Workspace workspace, WorkspaceIndex index, CompletionService completion, ServerLog log)
{
    public const string Method = "textDocument/didChange";

    public Task HandleAsync(DidChangeTextDocumentParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var uri = request.TextDocument.Uri;
        if (!context.Snapshot.Documents.TryGetValue(uri, out var document))
        {
            // Nothing to apply the change to; the other documents are unaffected, so carry on.
            throw new LspException(ErrorCodes.InvalidParams, $"didChange for {uri}, which is not open: change ignored");
        }
        if (request.TextDocument.Version <= document.Version)
        {
            log.Warning($"{uri}: version {request.TextDocument.Version} does not follow {document.Version}; applying it anyway");
        }
        var changed = document.WithChanges(request.TextDocument.Version, request.ContentChanges ?? []);
        workspace.Update(snapshot => snapshot with { Documents = snapshot.Documents.SetItem(uri, changed) });
        completion.Edited(uri);
        if (DocumentUri.TryGetPath(uri) is { } path)
        {
            index.SetText(path, changed.Text);
        }
        return Task.CompletedTask;
    }
}
