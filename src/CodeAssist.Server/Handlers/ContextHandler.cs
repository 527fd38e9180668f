using CodeAssist.Context;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/context</c>: what a model should see from the rest of the repository for the cursor, within
/// a token budget. The document's text is the client's; the answer uses whatever part of the repository is
/// indexed so far.
/// </summary>
public sealed class ContextHandler(WorkspaceIndex index)
{
    public const string Method = "codeassist/context";

    public Task<ContextResponse> HandleAsync(ContextParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.BudgetTokens < 0)
        {
            throw new LspException(ErrorCodes.InvalidParams, $"budgetTokens must not be negative (got {request.BudgetTokens})");
        }
        var path = DocumentUri.GetPath(request.TextDocument.Uri);
        ContextResult result;
        try
        {
            result = index.GetContext(path, request.Position.Line, request.Position.Character, request.BudgetTokens, cancellationToken);
        }
        catch (ContextException exception)
        {
            throw new LspException(ErrorCodes.RequestFailed, exception.Message);
        }
        return Task.FromResult(ContextResponse.From(result));
    }
}
