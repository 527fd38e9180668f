using CodeAssist.Lsp;
using CodeAssist.Server.Handlers;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server;

/// <summary>
/// The composition root of <c>codeassist serve</c>: builds the components once, registers every handler
/// in one table with whether it mutates, and serves until <c>exit</c>. Tests run it over in-memory streams.
/// </summary>
public static class LanguageServer
{
    public static async Task<int> RunAsync(Stream input, Stream output, TextWriter stderr, CancellationToken cancellationToken)
    {
        var log = new ServerLog(stderr);
        var connection = new JsonRpcConnection(input, output, log.Debug);
        log.Attach(connection);
        var workspace = new Workspace();
        var json = ProtocolJson.Default;
        var indexRun = 0;
        using var index = new WorkspaceIndex(log, cancellation => workspace.Current.Client.Window?.WorkDoneProgress == true
            ? WorkDoneProgress.CreateAsync(connection, $"codeassist/index/{Interlocked.Increment(ref indexRun)}", log.Debug, cancellation)
            : Task.FromResult<WorkDoneProgress?>(null));
        await using var model = new ModelHost(index, log);

        var handlers = new HandlerTable<RequestContext>()
            .Request(InitializeHandler.Method, mutates: true, json.InitializeParams, json.InitializeResult, new InitializeHandler(workspace, log).HandleAsync)
            .Notification(InitializedHandler.Method, mutates: true, json.JsonElement, new InitializedHandler(workspace, index, model, connection, log).HandleAsync)
            .Request(ShutdownHandler.Method, mutates: true, new ShutdownHandler(log).HandleAsync)
            .Notification(DidOpenHandler.Method, mutates: true, json.DidOpenTextDocumentParams, new DidOpenHandler(workspace, index, log).HandleAsync)
            .Notification(DidChangeHandler.Method, mutates: true, json.DidChangeTextDocumentParams, new DidChangeHandler(workspace, index, log).HandleAsync)
            .Notification(DidCloseHandler.Method, mutates: true, json.DidCloseTextDocumentParams, new DidCloseHandler(workspace, index, log).HandleAsync)
            .Notification(DidChangeConfigurationHandler.Method, mutates: true, json.DidChangeConfigurationParams, new DidChangeConfigurationHandler(workspace, index, model, log).HandleAsync)
            .Notification(DidChangeWorkspaceFoldersHandler.Method, mutates: true, json.DidChangeWorkspaceFoldersParams, new DidChangeWorkspaceFoldersHandler(workspace, index).HandleAsync)
            .Notification(DidChangeWatchedFilesHandler.Method, mutates: true, json.DidChangeWatchedFilesParams, new DidChangeWatchedFilesHandler(index).HandleAsync)
            .Request(StatusHandler.Method, mutates: false, json.StatusParams, json.StatusResult, new StatusHandler(index, model).HandleAsync)
            .Request(ContextHandler.Method, mutates: false, json.ContextParams, json.ContextResponse, new ContextHandler(index).HandleAsync)
            .Request(CommitMessageHandler.Method, mutates: false, CommitMessageJson.Default.CommitMessageParams, CommitMessageJson.Default.CommitMessageResult, new CommitMessageHandler(model, log).HandleAsync);

        var queue = new RequestQueue<RequestContext>(connection, handlers, () => new RequestContext(workspace.Current), log.Warning);
        return await queue.RunAsync(cancellationToken);
    }
}
