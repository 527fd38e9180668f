using System.Text.Json;
using CodeAssist.Features.Completion;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>textDocument/inlineCompletion</c> (LSP 3.18) and <c>codeassist/inlineCompletion</c> for clients without it: ghost
/// text at the cursor from <see cref="CompletionService"/>. Positions are converted here and nowhere else: the feature
/// sees offsets into the client's text. No model, completion off for the language, or a newer request: an empty list.
/// </summary>
public sealed class InlineCompletionHandler(WorkspaceIndex index, ModelHost model, CompletionService completion)
{
    public const string Method = "codeassist/inlineCompletion";
    public const string StandardMethod = "textDocument/inlineCompletion";
    public const string AcceptCommand = "codeassist.didAcceptCompletion";

    /// <summary>The completion id in the arguments of <see cref="AcceptCommand"/>: <c>[ { "completionId": "c42.0" } ]</c>.</summary>
    /// <exception cref="LspException">Arguments of another shape (-32602).</exception>
    public static string AcceptedCompletionId(JsonElement[] arguments)
    {
        try
        {
            if (arguments is [{ ValueKind: JsonValueKind.Object } argument] && argument.Deserialize(ProtocolJson.Default.CompletionIdParams) is { } accepted)
            {
                return accepted.CompletionId;
            }
        }
        catch (JsonException)
        {
        }
        throw new LspException(ErrorCodes.InvalidParams, $"{AcceptCommand} takes one argument, {{ \"completionId\": \"…\" }}, as the item's command carries it");
    }

    public async Task<InlineCompletionList> HandleAsync(InlineCompletionParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var uri = request.TextDocument.Uri;
        if (!context.Snapshot.Documents.TryGetValue(uri, out var document))
        {
            throw new LspException(ErrorCodes.RequestFailed, $"{uri} is not open: inline completion works on documents the client opened (textDocument/didOpen)");
        }
        var text = document.Text;
        var lines = document.Lines;
        var offset = lines.ToOffset(text, request.Position);
        var position = lines.ToPosition(offset);
        var path = DocumentUri.TryGetPath(uri);
        SelectedCompletion? selected = null;
        if (request.Context?.SelectedCompletionInfo is { } info)
        {
            var start = lines.ToOffset(text, info.Range.Start);
            selected = new SelectedCompletion(start, Math.Max(start, lines.ToOffset(text, info.Range.End)), info.Text);
        }
        var query = new CompletionQuery
        {
            DocumentKey = uri,
            Sequence = context.Position,
            Path = path,
            Text = text,
            Offset = offset,
            Line = position.Line,
            Character = position.Character,
            LanguageId = document.LanguageId,
            Invoked = request.Context?.TriggerKind == 1,
            Selected = selected,
            WorkspaceFolder = path is null ? null : context.Snapshot.Folders.Select(f => DocumentUri.TryGetPath(f.Uri))
                .FirstOrDefault(folder => folder is not null && path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal)),
        };
        var engine = path is not null && index.Status is not null ? index.EngineFor(path) : null;
        var answer = await completion.CompleteAsync(query, context.Snapshot.Settings.Completion.ToOptions(), model.Current, engine, cancellationToken);
        return new InlineCompletionList(answer.Suggestions.Select(suggestion => new InlineCompletionItem(
            suggestion.InsertText,
            suggestion.InsertText,
            new Range(lines.ToPosition(suggestion.Start), lines.ToPosition(suggestion.End)),
            new ClientCommand("Accepted", AcceptCommand, [JsonSerializer.SerializeToElement(new CompletionIdParams(suggestion.Id), ProtocolJson.Default.CompletionIdParams)])))
            .ToArray());
    }
}
