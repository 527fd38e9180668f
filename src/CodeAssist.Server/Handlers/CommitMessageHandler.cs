using CodeAssist.Features.Commit;
using CodeAssist.Git;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>codeassist/commitMessage</c>: a message for what the repository holding the URI is about to commit. A read: it
/// never stages, commits or writes anything. Problems the user can fix (not a repository, nothing changed) answer
/// RequestFailed with what to do; a missing or failed model only adds a note.
/// </summary>
public sealed class CommitMessageHandler(ModelHost model, Assistant assistant)
{
    public const string Method = "codeassist/commitMessage";

    public async Task<CommitMessageResult> HandleAsync(CommitMessageParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var path = DocumentUri.GetPath(request.Uri);
        var settings = context.Snapshot.Settings;
        var prompts = assistant.Prompts(context.Snapshot);
        var options = new CommitOptions
        {
            ExcludeGlobs = settings.Exclude,
            NoModelReason = model.State.Status switch
            {
                "loading" => "The model is still loading",
                "failed" => $"The model failed to load ({model.State.Error})",
                _ => "No model is configured",
            },
        };
        try
        {
            return CommitMessageResult.From(await CommitMessageWriter.WriteAsync(path, model.Current, prompts, options, cancellationToken));
        }
        catch (Exception exception) when (exception is GitException or CommitMessageException)
        {
            throw new LspException(ErrorCodes.RequestFailed, exception.Message);
        }
    }
}
