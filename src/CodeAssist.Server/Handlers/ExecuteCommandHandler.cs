using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>workspace/executeCommand</c>: a table of the server's commands, each registered once with what it runs; the table's
/// names are what <c>initialize</c> announces in <c>executeCommandProvider</c>. A command reads its own arguments and
/// answers a JSON value (null when it has nothing to say); an unknown command is -32602.
/// </summary>
public sealed class ExecuteCommandHandler
{
    public const string Method = "workspace/executeCommand";

    /// <summary>Runs one command with the request's arguments (null when none were sent) and returns its result as JSON.</summary>
    public delegate Task<JsonElement> Run(JsonElement[]? arguments, ProgressToken? workDoneToken, RequestContext context, CancellationToken cancellationToken);

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement;
    private readonly Dictionary<string, Run> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Commands => _commands.Keys.Order(StringComparer.Ordinal).ToArray();

    public ExecuteCommandHandler Add(string command, Run run)
    {
        if (!_commands.TryAdd(command, run))
        {
            throw new InvalidOperationException($"The command '{command}' is registered twice");
        }
        return this;
    }

    public ExecuteCommandHandler Add(IEnumerable<KeyValuePair<string, Run>> commands)
    {
        foreach (var (command, run) in commands)
        {
            Add(command, run);
        }
        return this;
    }

    /// <summary>A command that only tells the server something: it answers null.</summary>
    public ExecuteCommandHandler Add(string command, Action<JsonElement[]> tell) =>
        Add(command, (arguments, _, _, _) =>
        {
            tell(arguments ?? []);
            return Task.FromResult(s_null);
        });

    public Task<JsonElement> HandleAsync(ExecuteCommandParams request, RequestContext context, CancellationToken cancellationToken) =>
        _commands.TryGetValue(request.Command, out var run)
            ? run(request.Arguments, request.WorkDoneToken, context, cancellationToken)
            : throw new LspException(ErrorCodes.InvalidParams, $"Unknown command '{request.Command}'; this server runs {string.Join(", ", Commands)}");
}
