using System.Text.Json;
using CodeAssist.Features;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// The commands behind the code actions: each runs the same feature as its request and returns the same result. The edit of
/// <c>codeassist.document</c> and <c>codeassist.generateTests</c> is sent to the client with <c>workspace/applyEdit</c>;
/// <c>codeassist.translate</c> without a language asks for one with <c>window/showMessageRequest</c> (null when dismissed).
/// </summary>
public sealed class ActionCommands(ExplainHandler explain, DocumentHandler document, GenerateTestsHandler tests, TranslateHandler translate,
    JsonRpcConnection connection, ServerLog log)
{
    public const string Explain = "codeassist.explain";
    public const string Document = "codeassist.document";
    public const string GenerateTests = "codeassist.generateTests";
    public const string Translate = "codeassist.translate";

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>This class's part of the command table.</summary>
    public IEnumerable<KeyValuePair<string, ExecuteCommandHandler.Run>> Table() =>
    [
        new(Explain, ExplainAsync),
        new(Document, DocumentAsync),
        new(GenerateTests, GenerateTestsAsync),
        new(Translate, TranslateAsync),
    ];

    private static ActionsJson Json => ActionsJson.Default;

    private static CommandArgument Argument(string command, JsonElement[]? arguments)
    {
        if (arguments is not [var only])
            throw new LspException(ErrorCodes.InvalidParams, $"'{command}' takes one argument, {{ textDocument, range }}: one selection in one document (got {arguments?.Length ?? 0})");
        try
        {
            return only.Deserialize(Json.CommandArgument) ?? throw new LspException(ErrorCodes.InvalidParams, $"'{command}' needs {{ textDocument, range }}");
        }
        catch (JsonException exception)
        {
            throw new LspException(ErrorCodes.InvalidParams, $"Invalid argument for '{command}': {exception.Message}");
        }
    }

    private async Task<JsonElement> ExplainAsync(JsonElement[]? arguments, ProgressToken? workDone, RequestContext context, CancellationToken cancellationToken)
    {
        var argument = Argument(Explain, arguments);
        var result = await explain.RunAsync(argument.TextDocument.Uri, argument.Range, argument.PartialResultToken, workDone, context, cancellationToken);
        return JsonSerializer.SerializeToElement(result, Json.ChatResult);
    }

    private async Task<JsonElement> DocumentAsync(JsonElement[]? arguments, ProgressToken? workDone, RequestContext context, CancellationToken cancellationToken)
    {
        var argument = Argument(Document, arguments);
        var result = await document.RunAsync(argument.TextDocument.Uri, argument.Range, argument.Overwrite ?? false, argument.PartialResultToken, workDone, context, cancellationToken);
        if (result.Edit.DocumentChanges.Length > 0) await ApplyAsync("Add documentation", result.Edit, cancellationToken);
        return JsonSerializer.SerializeToElement(result, Json.DocumentResult);
    }

    private async Task<JsonElement> GenerateTestsAsync(JsonElement[]? arguments, ProgressToken? workDone, RequestContext context, CancellationToken cancellationToken)
    {
        var argument = Argument(GenerateTests, arguments);
        var result = await tests.RunAsync(argument.TextDocument.Uri, argument.Range, argument.PartialResultToken, workDone, context, cancellationToken);
        await ApplyAsync("Generate tests", result.Edit, cancellationToken);
        return JsonSerializer.SerializeToElement(result, Json.GenerateTestsResult);
    }

    private async Task<JsonElement> TranslateAsync(JsonElement[]? arguments, ProgressToken? workDone, RequestContext context, CancellationToken cancellationToken)
    {
        var argument = Argument(Translate, arguments);
        var language = argument.Language ?? await AskLanguageAsync(cancellationToken);
        if (language is null) return s_null;
        var result = await translate.RunAsync(argument.TextDocument.Uri, argument.Range, language, argument.PartialResultToken, workDone, context, cancellationToken);
        return JsonSerializer.SerializeToElement(result, Json.TranslateResult);
    }

    /// <summary>Asks the user for a target language; null when the message is dismissed.</summary>
    private async Task<string?> AskLanguageAsync(CancellationToken cancellationToken)
    {
        var request = new ShowMessageRequestParams(MessageType.Info, "Translate the selection to which language?",
            CodeLanguage.All.Select(l => new MessageActionItem(l.Name)).ToArray());
        var answer = await connection.SendRequestAsync("window/showMessageRequest", request, Json.ShowMessageRequestParams, cancellationToken);
        if (answer.ValueKind != JsonValueKind.Object) return null;
        var title = answer.Deserialize(Json.MessageActionItem)?.Title;
        return title is null ? null : CodeLanguage.Find(title)?.Id ?? title;
    }

    /// <summary>Sends the edit; a client that refuses it (the user cancelled, the file exists) is logged, the result still returned.</summary>
    private async Task ApplyAsync(string label, WorkspaceEdit edit, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await connection.SendRequestAsync("workspace/applyEdit", new ApplyWorkspaceEditParams(label, edit), Json.ApplyWorkspaceEditParams, cancellationToken);
            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("applied", out var applied) && applied.ValueKind == JsonValueKind.False)
            {
                var reason = answer.TryGetProperty("failureReason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : "no reason given";
                log.Warning($"The editor did not apply '{label}': {reason}");
            }
        }
        catch (LspException exception)
        {
            log.Warning($"The editor refused '{label}': {exception.Message}");
        }
    }
}
