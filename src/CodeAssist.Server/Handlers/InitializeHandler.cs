using System.Collections.Immutable;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary>
/// <c>initialize</c>: records the workspace folders and settings and states what the server can do.
/// Positions are always UTF-16 code units, the encoding every client must support.
/// </summary>
public sealed class InitializeHandler(Workspace workspace, ExecuteCommandHandler commands, ServerLog log)
{
    public const string Method = "initialize";

    public Task<InitializeResult> HandleAsync(InitializeParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var folders = request.WorkspaceFolders is { Length: > 0 } given ? given.ToImmutableArray() : FoldersFromRoot(request);
        var settings = ServerSettings.Parse(request.InitializationOptions, ServerSettings.UserDefaults(log.Warning), log.Warning);
        log.Configure(settings);
        workspace.Update(snapshot => snapshot with { Folders = folders, Settings = settings, Client = request.Capabilities ?? new ClientCapabilities() });
        var client = request.ClientInfo is { } info ? $"{info.Name} {info.Version}".TrimEnd() : "an unnamed client";
        log.Info($"Initialized by {client} for {(folders.IsEmpty ? "no workspace folder" : string.Join(", ", folders.Select(f => f.Uri)))}");

        return Task.FromResult(new InitializeResult(
            new ServerCapabilities(
                PositionEncoding: "utf-16",
                TextDocumentSync: new TextDocumentSyncOptions(OpenClose: true, Change: TextDocumentSyncKind.Incremental, Save: new SaveOptions(IncludeText: false)),
                Workspace: new WorkspaceServerCapabilities(new WorkspaceFoldersServerCapabilities(Supported: true, ChangeNotifications: true)),
                CodeActionProvider: new CodeActionOptions([CodeActionHandler.Kind]),
                InlineCompletionProvider: new InlineCompletionOptions(),
                ExecuteCommandProvider: new ExecuteCommandOptions(commands.Commands.ToArray())),
            new ServerInfo("codeassist", ServerVersion.Text)));
    }

    private static ImmutableArray<WorkspaceFolder> FoldersFromRoot(InitializeParams request)
    {
        var uri = request.RootUri ?? (request.RootPath is { } path ? new Uri(Path.GetFullPath(path)).AbsoluteUri : null);
        return uri is null ? [] : [new WorkspaceFolder(uri, Path.GetFileName(new Uri(uri).LocalPath.TrimEnd('/')))];
    }
}
