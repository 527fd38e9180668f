using CodeAssist.Features;
using CodeAssist.Features.Actions;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>textDocument/codeAction</c>: on a selection (or, on an empty range in C#, the member at the cursor) offers Explain,
/// Add documentation, Generate tests (C#) and Translate to…, as commands the client runs through
/// <c>workspace/executeCommand</c> or as the matching requests; none on a document no model may see.
/// </summary>
public sealed class CodeActionHandler(Assistant assistant)
{
    public const string Method = "textDocument/codeAction";
    public const string Kind = "refactor.codeassist";

    public Task<CodeAction[]> HandleAsync(CodeActionParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.Context?.Only is { Length: > 0 } only && !only.Any(kind => Kind == kind || Kind.StartsWith(kind + ".", StringComparison.Ordinal)))
            return Task.FromResult<CodeAction[]>([]);
        // Nothing to offer on a document no model may see (a .env file, an excluded one): the actions would only be refused.
        if (DocumentUri.TryGetPath(request.TextDocument.Uri) is not { } path || !assistant.MayReachPrompt(path)) return Task.FromResult<CodeAction[]>([]);
        var selection = assistant.Selection(context, request.TextDocument.Uri, request.Range);
        var range = request.Range;
        if (selection.IsBlank)
        {
            // An empty range means the member at the cursor, which only C#'s parser can find.
            if (selection.Language != CodeLanguage.CSharp || CodeTargets.MemberAt(selection.DocumentText, selection.Start) is not { } member)
                return Task.FromResult<CodeAction[]>([]);
            var lines = new LineIndex(selection.DocumentText);
            range = new Range(lines.ToPosition(member.Start), lines.ToPosition(member.End));
        }
        var argument = new CommandArgument(new CommandDocument(request.TextDocument.Uri, Assistant.VersionOf(context, selection.Path)), range);
        CodeAction Action(string title, string command) => new(title, Kind, new CodeActionCommand(title, command, [argument]));
        var actions = new List<CodeAction>
        {
            Action("Explain", ActionCommands.Explain),
            Action("Add documentation", ActionCommands.Document),
        };
        if (selection.Language == CodeLanguage.CSharp) actions.Add(Action("Generate tests", ActionCommands.GenerateTests));
        actions.Add(Action("Translate to…", ActionCommands.Translate));
        return Task.FromResult(actions.ToArray());
    }
}
