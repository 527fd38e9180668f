using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>workspace/executeCommand</c>: runs a command of the server's command table (command name → what runs it), whose names
/// <c>initialize</c> announces. Each command reads its own arguments and returns its own result.
/// </summary>
public sealed class ExecuteCommandHandler(IReadOnlyDictionary<string, ExecuteCommandHandler.Run> commands)
{
    public const string Method = "workspace/executeCommand";

    /// <summary>Runs one command with the request's arguments (null when none were sent) and returns its result as JSON.</summary>
    public delegate Task<JsonElement> Run(JsonElement[]? arguments, ProgressToken? workDoneToken, RequestContext context, CancellationToken cancellationToken);

    public IReadOnlyCollection<string> Commands => commands.Keys.Order(StringComparer.Ordinal).ToArray();

    public Task<JsonElement> HandleAsync(ExecuteCommandParams request, RequestContext context, CancellationToken cancellationToken) =>
        commands.TryGetValue(request.Command, out var run)
            ? run(request.Arguments, request.WorkDoneToken, context, cancellationToken)
            : throw new LspException(ErrorCodes.InvalidParams, $"Unknown command '{request.Command}'; the server runs {string.Join(", ", Commands)}");
}
