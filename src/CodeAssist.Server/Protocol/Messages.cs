using System.Text.Json;
using System.Text.Json.Serialization;
using CodeAssist.Context;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;

namespace CodeAssist.Server.Protocol;

// Wire types of the LSP methods the server uses: only the fields it reads or writes.

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record WorkspaceFolder(string Uri, string Name);

public sealed record ClientInfo(string Name, string? Version = null);

public sealed record InitializeParams(
    int? ProcessId = null,
    ClientInfo? ClientInfo = null,
    string? RootUri = null,
    string? RootPath = null,
    WorkspaceFolder[]? WorkspaceFolders = null,
    JsonElement InitializationOptions = default,
    ClientCapabilities? Capabilities = null,
    ProgressToken? WorkDoneToken = null);

public sealed record ClientCapabilities(
    WindowClientCapabilities? Window = null,
    GeneralClientCapabilities? General = null,
    WorkspaceClientCapabilities? Workspace = null);

public sealed record WorkspaceClientCapabilities(DynamicRegistrationCapability? DidChangeWatchedFiles = null);

public sealed record DynamicRegistrationCapability(bool? DynamicRegistration = null);

public sealed record WindowClientCapabilities(bool? WorkDoneProgress = null);

public sealed record GeneralClientCapabilities(string[]? PositionEncodings = null);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record ServerInfo(string Name, string Version);

public sealed record ServerCapabilities(
    string PositionEncoding,
    TextDocumentSyncOptions TextDocumentSync,
    WorkspaceServerCapabilities Workspace,
    CodeActionOptions? CodeActionProvider = null,
    InlineCompletionOptions? InlineCompletionProvider = null,
    ExecuteCommandOptions? ExecuteCommandProvider = null);

public sealed record ExecuteCommandOptions(string[] Commands);

public sealed record ExecuteCommandParams(string Command, JsonElement[]? Arguments = null, ProgressToken? WorkDoneToken = null);

public sealed record TextDocumentSyncOptions(bool OpenClose, TextDocumentSyncKind Change, SaveOptions Save);

public enum TextDocumentSyncKind { None = 0, Full = 1, Incremental = 2 }

public sealed record SaveOptions(bool IncludeText);

public sealed record WorkspaceServerCapabilities(WorkspaceFoldersServerCapabilities WorkspaceFolders);

public sealed record WorkspaceFoldersServerCapabilities(bool Supported, bool ChangeNotifications);

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

/// <summary>An incremental change when <see cref="Range"/> is set; the whole new text otherwise.</summary>
public sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text = null);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidChangeConfigurationParams(JsonElement Settings);

public sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent Event);

public sealed record WorkspaceFoldersChangeEvent(WorkspaceFolder[] Added, WorkspaceFolder[] Removed);

public sealed record DidChangeWatchedFilesParams(FileEvent[] Changes);

/// <summary><see cref="Type"/>: 1 created, 2 changed, 3 deleted.</summary>
public sealed record FileEvent(string Uri, int Type);

public sealed record RegistrationParams(Registration[] Registrations);

public sealed record Registration(string Id, string Method, DidChangeWatchedFilesRegistrationOptions RegisterOptions);

public sealed record DidChangeWatchedFilesRegistrationOptions(FileSystemWatcher[] Watchers);

public sealed record FileSystemWatcher(string GlobPattern);

public sealed record ContextParams(TextDocumentIdentifier TextDocument, Position Position, int BudgetTokens);

/// <summary>The result of <c>codeassist/context</c>: see docs/protocol.md (the benchmark depends on this shape).</summary>
public sealed record ContextResponse(ContextResponseItem[] Items, int Tokens)
{
    public static ContextResponse From(ContextResult result) => new(
        result.Items.Select(item => new ContextResponseItem(
            DocumentUri.FromPath(item.Path),
            new Range(new Position(item.Range.StartLine, item.Range.StartCharacter), new Position(item.Range.EndLine, item.Range.EndCharacter)),
            item.Kind,
            item.Text)).ToArray(),
        result.Tokens);
}

public sealed record ContextResponseItem(string Uri, Range Range, string Kind, string Text);

public sealed record LogMessageParams(MessageType Type, string Message);

public enum MessageType { Error = 1, Warning = 2, Info = 3, Log = 4, Debug = 5 }

public sealed record StatusParams;

/// <summary>The result of <c>codeassist/status</c>: see docs/protocol.md.</summary>
public sealed record StatusResult(
    string Version,
    int ProcessId,
    string[] WorkspaceFolders,
    OpenDocumentStatus[] OpenDocuments,
    SettingsStatus Settings,
    IndexStatusReport Index,
    ModelStatusReport Model,
    CompletionStatusReport Completion,
    ActionsStatus Actions);

/// <summary>
/// <see cref="State"/>: "none", "loading", "ready" or "failed" (<see cref="Error"/> says why); <see cref="Backend"/>
/// is where llama.cpp runs on this machine ("cuda", "cpu", or why neither is available).
/// </summary>
public sealed record ModelStatusReport(string State, string Backend, string? Path = null, string? Name = null, int? ContextSize = null, string? FimFamily = null, string? Error = null,
    string? ChatTemplate = null);

/// <summary>What chat, explain, document, tests and translate did since the server started (see docs/protocol.md).</summary>
public sealed record ActionsStatus(long Requests, long GenerationsStarted, long GenerationsFinished, long GenerationsCancelled, long GenerationsFailed,
    long GeneratedTokens, long PromptTokens, long CompileChecks, long Repairs);

/// <summary><see cref="State"/>: "notStarted", "indexing" or "ready".</summary>
public sealed record IndexStatusReport(string State, int FilesIndexed, int FilesSkipped, long Lines);

public sealed record OpenDocumentStatus(string Uri, string LanguageId, int Version, int Lines, int Length);

public sealed record SettingsStatus(string LogLevel, string[] Exclude, string? Model = null, string? IndexCache = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidSaveTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(DidChangeConfigurationParams))]
[JsonSerializable(typeof(DidChangeWorkspaceFoldersParams))]
[JsonSerializable(typeof(LogMessageParams))]
[JsonSerializable(typeof(DidChangeWatchedFilesParams))]
[JsonSerializable(typeof(RegistrationParams))]
[JsonSerializable(typeof(ContextParams))]
[JsonSerializable(typeof(ContextResponse))]
[JsonSerializable(typeof(StatusParams))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(InlineCompletionParams))]
[JsonSerializable(typeof(InlineCompletionList))]
[JsonSerializable(typeof(CompletionIdParams))]
[JsonSerializable(typeof(DidPartiallyAcceptCompletionParams))]
[JsonSerializable(typeof(ExecuteCommandParams))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ProtocolJson : JsonSerializerContext;
