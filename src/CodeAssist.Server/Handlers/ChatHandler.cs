using CodeAssist.Features.Chat;
using CodeAssist.Lsp;
using CodeAssist.Models;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/chat</c>: a question about the repository, answered with retrieved repository code; the answer streams
/// under the request's partial result token and cancelling the request stops the model at once.
/// </summary>
public sealed class ChatHandler(Assistant assistant, JsonRpcConnection connection)
{
    public const string Method = "codeassist/chat";

    public Task<ChatResult> HandleAsync(ChatParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.Messages is null || request.Messages.Any(m => m is null || m.Role is null || m.Content is null))
            throw new LspException(ErrorCodes.InvalidParams, "messages must be a list of { role, content }");
        if (request.Range is not null && request.TextDocument is null)
            throw new LspException(ErrorCodes.InvalidParams, "a range needs the textDocument it is in");
        return Assistant.RunAsync(async () =>
        {
            var selection = request.TextDocument is { } document ? assistant.Selection(context, document.Uri, request.Range) : null;
            var bench = assistant.For(context, selection?.Path);
            var input = new ChatInput(request.Messages.Select(m => new ChatMessage(m.Role, m.Content)).ToArray(), selection, request.BudgetTokens);
            var answer = await assistant.WithProgressAsync(connection, request.WorkDoneToken, "Answering",
                () => RepositoryChat.AnswerAsync(bench, input, Assistant.Stream(connection, request.PartialResultToken), cancellationToken));
            return new ChatResult(answer.Text, Assistant.References(answer.References));
        });
    }
}
