using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>workspace/executeCommand</c>: a table of the server's commands, each registered once with what it runs; the table's
/// names are what <c>initialize</c> announces in <c>executeCommandProvider</c>. A command answers a JSON value (null when
/// it has nothing to say); an unknown command is -32602.
/// </summary>
public sealed class ExecuteCommandHandler
{
    public const string Method = "workspace/executeCommand";

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement;
    private readonly Dictionary<string, Func<JsonElement[], RequestContext, CancellationToken, Task<JsonElement>>> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Commands => _commands.Keys;

    public ExecuteCommandHandler Add(string command, Func<JsonElement[], RequestContext, CancellationToken, Task<JsonElement>> runAsync)
    {
        if (!_commands.TryAdd(command, runAsync))
        {
            throw new InvalidOperationException($"The command '{command}' is registered twice");
        }
        return this;
    }

    /// <summary>A command that only tells the server something: it answers null.</summary>
    public ExecuteCommandHandler Add(string command, Action<JsonElement[]> run) =>
        Add(command, (arguments, _, _) =>
        {
            run(arguments);
            return Task.FromResult(s_null);
        });

    public Task<JsonElement> HandleAsync(ExecuteCommandParams request, RequestContext context, CancellationToken cancellationToken) =>
        _commands.TryGetValue(request.Command, out var runAsync)
            ? runAsync(request.Arguments ?? [], context, cancellationToken)
            : throw new LspException(ErrorCodes.InvalidParams, $"Unknown command '{request.Command}'; this server runs {string.Join(", ", _commands.Keys)}");
}
