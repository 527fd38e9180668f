using CodeAssist.Features.Completion;
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
        var actionsJson = ActionsJson.Default;
        var indexRun = 0;
        using var index = new WorkspaceIndex(log, cancellation => workspace.Current.Client.Window?.WorkDoneProgress == true
            ? WorkDoneProgress.CreateAsync(connection, $"codeassist/index/{Interlocked.Increment(ref indexRun)}", log.Debug, cancellation)
            : Task.FromResult<WorkDoneProgress?>(null));
        await using var model = new ModelHost(index, log);
        var assistant = new Assistant(index, model, log, PromptLog.FromEnvironment());
        var explain = new ExplainHandler(assistant, connection);
        var document = new DocumentHandler(assistant, connection);
        var tests = new GenerateTestsHandler(assistant, connection);
        var translate = new TranslateHandler(assistant, connection);
        var completion = new CompletionService(log.Debug);
        var commands = new ExecuteCommandHandler()
            .Add(InlineCompletionHandler.AcceptCommand, arguments => completion.Accepted(InlineCompletionHandler.AcceptedCompletionId(arguments)))
            .Add(new ActionCommands(explain, document, tests, translate, connection, log).Table());
        var inlineCompletion = new InlineCompletionHandler(index, model, completion);

        var handlers = new HandlerTable<RequestContext>()
            .Request(InitializeHandler.Method, mutates: true, json.InitializeParams, json.InitializeResult, new InitializeHandler(workspace, commands, log).HandleAsync)
            .Notification(InitializedHandler.Method, mutates: true, json.JsonElement, new InitializedHandler(workspace, index, model, connection, log).HandleAsync)
            .Request(ShutdownHandler.Method, mutates: true, new ShutdownHandler(log).HandleAsync)
            .Notification(DidOpenHandler.Method, mutates: true, json.DidOpenTextDocumentParams, new DidOpenHandler(workspace, index, log).HandleAsync)
            .Notification(DidChangeHandler.Method, mutates: true, json.DidChangeTextDocumentParams, new DidChangeHandler(workspace, index, completion, log).HandleAsync)
            .Notification(DidCloseHandler.Method, mutates: true, json.DidCloseTextDocumentParams, new DidCloseHandler(workspace, index, completion, log).HandleAsync)
            .Notification(DidChangeConfigurationHandler.Method, mutates: true, json.DidChangeConfigurationParams, new DidChangeConfigurationHandler(workspace, index, model, log).HandleAsync)
            .Notification(DidChangeWorkspaceFoldersHandler.Method, mutates: true, json.DidChangeWorkspaceFoldersParams, new DidChangeWorkspaceFoldersHandler(workspace, index).HandleAsync)
            .Notification(DidChangeWatchedFilesHandler.Method, mutates: true, json.DidChangeWatchedFilesParams, new DidChangeWatchedFilesHandler(index).HandleAsync)
            .Request(StatusHandler.Method, mutates: false, json.StatusParams, json.StatusResult, new StatusHandler(index, model, completion, assistant.Counters).HandleAsync)
            .Request(ContextHandler.Method, mutates: false, json.ContextParams, json.ContextResponse, new ContextHandler(index).HandleAsync)
            .Request(InlineCompletionHandler.StandardMethod, mutates: false, json.InlineCompletionParams, json.InlineCompletionList, inlineCompletion.HandleAsync)
            .Request(InlineCompletionHandler.Method, mutates: false, json.InlineCompletionParams, json.InlineCompletionList, inlineCompletion.HandleAsync)
            // Ordered like mutations (they return at once): a status read sent after them counts them.
            .Notification(DidShowCompletionHandler.Method, mutates: true, json.CompletionIdParams, new DidShowCompletionHandler(completion).HandleAsync)
            .Notification(DidPartiallyAcceptCompletionHandler.Method, mutates: true, json.DidPartiallyAcceptCompletionParams, new DidPartiallyAcceptCompletionHandler(completion).HandleAsync)
            .Request(ChatHandler.Method, mutates: false, actionsJson.ChatParams, actionsJson.ChatResult, new ChatHandler(assistant, connection).HandleAsync)
            .Request(ExplainHandler.Method, mutates: false, actionsJson.SelectionParams, actionsJson.ChatResult, explain.HandleAsync)
            .Request(DocumentHandler.Method, mutates: false, actionsJson.DocumentParams, actionsJson.DocumentResult, document.HandleAsync)
            .Request(GenerateTestsHandler.Method, mutates: false, actionsJson.SelectionParams, actionsJson.GenerateTestsResult, tests.HandleAsync)
            .Request(TranslateHandler.Method, mutates: false, actionsJson.TranslateParams, actionsJson.TranslateResult, translate.HandleAsync)
            .Request(CodeActionHandler.Method, mutates: false, actionsJson.CodeActionParams, actionsJson.CodeActionArray, new CodeActionHandler(assistant).HandleAsync)
            .Request(ExecuteCommandHandler.Method, mutates: false, json.ExecuteCommandParams, json.JsonElement, commands.HandleAsync)
            .Request(CommitMessageHandler.Method, mutates: false, CommitMessageJson.Default.CommitMessageParams, CommitMessageJson.Default.CommitMessageResult, new CommitMessageHandler(model, assistant).HandleAsync);

        var position = 0L;
        var queue = new RequestQueue<RequestContext>(connection, handlers, () => new RequestContext(workspace.Current, ++position), log.Warning);
        return await queue.RunAsync(cancellationToken);
    }
}
