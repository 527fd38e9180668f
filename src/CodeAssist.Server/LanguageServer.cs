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
    public static Task<int> RunAsync(Stream input, Stream output, TextWriter stderr, CancellationToken cancellationToken)
    {
        var log = new ServerLog(stderr);
        var connection = new JsonRpcConnection(input, output, log.Debug);
        log.Attach(connection);
        var workspace = new Workspace();
        var json = ProtocolJson.Default;

        var handlers = new HandlerTable<RequestContext>()
            .Request(InitializeHandler.Method, mutates: true, json.InitializeParams, json.InitializeResult, new InitializeHandler(workspace, log).HandleAsync)
            .Notification("initialized", mutates: true, json.JsonElement, (_, _, _) => Task.CompletedTask)
            .Request(ShutdownHandler.Method, mutates: true, new ShutdownHandler(log).HandleAsync)
            .Notification(DidOpenHandler.Method, mutates: true, json.DidOpenTextDocumentParams, new DidOpenHandler(workspace, log).HandleAsync)
            .Notification(DidChangeHandler.Method, mutates: true, json.DidChangeTextDocumentParams, new DidChangeHandler(workspace, log).HandleAsync)
            .Notification(DidCloseHandler.Method, mutates: true, json.DidCloseTextDocumentParams, new DidCloseHandler(workspace, log).HandleAsync)
            .Notification(DidChangeConfigurationHandler.Method, mutates: true, json.DidChangeConfigurationParams, new DidChangeConfigurationHandler(workspace, log).HandleAsync)
            .Notification(DidChangeWorkspaceFoldersHandler.Method, mutates: true, json.DidChangeWorkspaceFoldersParams, new DidChangeWorkspaceFoldersHandler(workspace).HandleAsync)
            .Request(StatusHandler.Method, mutates: false, json.StatusParams, json.StatusResult, new StatusHandler().HandleAsync);

        var queue = new RequestQueue<RequestContext>(connection, handlers, () => new RequestContext(workspace.Current), log.Warning);
        return queue.RunAsync(cancellationToken);
    }
}
