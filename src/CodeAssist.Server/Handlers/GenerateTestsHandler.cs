using CodeAssist.Features.Actions;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/generateTests</c> (and the <c>codeassist.generateTests</c> command): a test file for the selection, compiled
/// against the solution and repaired from its diagnostics, offered as a new file of the test project.
/// </summary>
public sealed class GenerateTestsHandler(Assistant assistant, JsonRpcConnection connection)
{
    public const string Method = "codeassist/generateTests";

    public Task<GenerateTestsResult> HandleAsync(SelectionParams request, RequestContext context, CancellationToken cancellationToken) =>
        RunAsync(request.TextDocument.Uri, request.Range, request.PartialResultToken, request.WorkDoneToken, context, cancellationToken);

    public Task<GenerateTestsResult> RunAsync(string uri, Range range, ProgressToken? partialResultToken, ProgressToken? workDoneToken, RequestContext context,
        CancellationToken cancellationToken) => Assistant.RunAsync(async () =>
    {
        var selection = assistant.Selection(context, uri, range);
        var bench = assistant.For(context, selection.Path);
        var tests = await assistant.WithProgressAsync(connection, workDoneToken, "Generating tests",
            () => TestGeneration.GenerateAsync(bench, selection, Assistant.StreamRounds(connection, partialResultToken), cancellationToken));
        var testUri = DocumentUri.FromPath(tests.Path);
        var start = new Position(0, 0);
        var edit = new WorkspaceEdit([
            new DocumentChange(Kind: "create", Uri: testUri, Options: new CreateFileOptions(Overwrite: false, IgnoreIfExists: false)),
            new DocumentChange(TextDocument: new OptionalVersionedTextDocumentIdentifier(testUri, null), Edits: [new TextEdit(new Range(start, start), tests.Text)]),
        ]);
        return new GenerateTestsResult(testUri, tests.Text, tests.Framework, tests.Compiles, tests.Rounds, Assistant.Diagnostics(tests.Diagnostics), edit);
    });
}
