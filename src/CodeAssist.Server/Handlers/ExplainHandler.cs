using CodeAssist.Features.Chat;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary><c>codeassist/explain</c> (and the <c>codeassist.explain</c> command): streamed prose about a selection, with the references it was given.</summary>
public sealed class ExplainHandler(Assistant assistant, JsonRpcConnection connection)
{
    public const string Method = "codeassist/explain";

    public Task<ChatResult> HandleAsync(SelectionParams request, RequestContext context, CancellationToken cancellationToken) =>
        RunAsync(request.TextDocument.Uri, request.Range, request.PartialResultToken, request.WorkDoneToken, context, cancellationToken);

    public Task<ChatResult> RunAsync(string uri, Range range, ProgressToken? partialResultToken, ProgressToken? workDoneToken, RequestContext context,
        CancellationToken cancellationToken) => Assistant.RunAsync(async () =>
    {
        var selection = assistant.Selection(context, uri, range);
        var bench = assistant.For(context, selection.Path);
        var answer = await assistant.WithProgressAsync(connection, workDoneToken, "Explaining",
            () => CodeExplanation.ExplainAsync(bench, selection, Assistant.Stream(connection, partialResultToken), cancellationToken));
        return new ChatResult(answer.Text, Assistant.References(answer.References));
    });
}
