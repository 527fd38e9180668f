using CodeAssist.Features;
using CodeAssist.Features.Actions;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/translate</c> (and the <c>codeassist.translate</c> command): the selection in another language; into C#,
/// compiled and repaired. The client opens the text in a new untitled document.
/// </summary>
public sealed class TranslateHandler(Assistant assistant, JsonRpcConnection connection)
{
    public const string Method = "codeassist/translate";

    public Task<TranslateResult> HandleAsync(TranslateParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.Language is null)
            throw new LspException(ErrorCodes.InvalidParams, $"'language' is required: one of {CodeLanguage.Known}");
        return RunAsync(request.TextDocument.Uri, request.Range, request.Language, request.PartialResultToken, request.WorkDoneToken, context, cancellationToken);
    }

    public Task<TranslateResult> RunAsync(string uri, Range range, string language, ProgressToken? partialResultToken, ProgressToken? workDoneToken,
        RequestContext context, CancellationToken cancellationToken) => Assistant.RunAsync(async () =>
    {
        var selection = assistant.Selection(context, uri, range);
        var bench = assistant.For(context, selection.Path);
        var translation = await assistant.WithProgressAsync(connection, workDoneToken, "Translating",
            () => Translation.TranslateAsync(bench, selection, language, Assistant.StreamRounds(connection, partialResultToken), cancellationToken));
        return new TranslateResult(translation.Text, translation.Language, translation.Compiles, translation.Rounds, Assistant.Diagnostics(translation.Diagnostics));
    });
}
