using CodeAssist.Features.Completion;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>codeassist/didShowCompletion</c>: a suggestion is on screen; the next one may be generated as if it were accepted.</summary>
public sealed class DidShowCompletionHandler(CompletionService completion)
{
    public const string Method = "codeassist/didShowCompletion";

    public Task HandleAsync(CompletionIdParams request, RequestContext context, CancellationToken cancellationToken)
    {
        completion.Shown(request.CompletionId);
        return Task.CompletedTask;
    }
}

/// <summary><c>codeassist/didPartiallyAcceptCompletion</c>: the user took the first characters of a suggestion (a word, a line).</summary>
public sealed class DidPartiallyAcceptCompletionHandler(CompletionService completion)
{
    public const string Method = "codeassist/didPartiallyAcceptCompletion";

    public Task HandleAsync(DidPartiallyAcceptCompletionParams request, RequestContext context, CancellationToken cancellationToken)
    {
        completion.PartiallyAccepted(request.CompletionId, request.AcceptedLength);
        return Task.CompletedTask;
    }
}
