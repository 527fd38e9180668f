using CodeAssist.Features.Actions;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/document</c> (and the <c>codeassist.document</c> command): documentation comments for the members in the
/// range, as a WorkspaceEdit that only inserts comments (or, with <c>overwrite</c>, replaces existing doc comments).
/// </summary>
public sealed class DocumentHandler(Assistant assistant, JsonRpcConnection connection)
{
    public const string Method = "codeassist/document";

    public Task<DocumentResult> HandleAsync(DocumentParams request, RequestContext context, CancellationToken cancellationToken) =>
        RunAsync(request.TextDocument.Uri, request.Range, request.Overwrite, request.PartialResultToken, request.WorkDoneToken, context, cancellationToken);

    public Task<DocumentResult> RunAsync(string uri, Range range, bool overwrite, ProgressToken? partialResultToken, ProgressToken? workDoneToken,
        RequestContext context, CancellationToken cancellationToken) => Assistant.RunAsync(async () =>
    {
        var selection = assistant.Selection(context, uri, range);
        var bench = assistant.For(context, selection.Path);
        var result = await assistant.WithProgressAsync(connection, workDoneToken, "Writing documentation",
            () => DocComments.WriteAsync(bench, selection, overwrite, Assistant.Stream(connection, partialResultToken), cancellationToken));
        var lines = new LineIndex(selection.DocumentText);
        var edits = result.Edits.Select(e => new TextEdit(new Range(lines.ToPosition(e.Start), lines.ToPosition(e.End)), e.NewText)).ToArray();
        // The URI as the client sent it, so the edit lands on the document it has open.
        var change = new DocumentChange(TextDocument: new OptionalVersionedTextDocumentIdentifier(uri, Assistant.VersionOf(context, selection.Path)), Edits: edits);
        return new DocumentResult(new WorkspaceEdit(edits.Length == 0 ? [] : [change]),
            result.Documented.ToArray(), result.Skipped.ToArray());
    });
}
