using System.Text.Json;
using System.Text.Json.Serialization;
using CodeAssist.Lsp;

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

public sealed record ClientCapabilities(WindowClientCapabilities? Window = null, GeneralClientCapabilities? General = null);

public sealed record WindowClientCapabilities(bool? WorkDoneProgress = null);

public sealed record GeneralClientCapabilities(string[]? PositionEncodings = null);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record ServerInfo(string Name, string Version);

public sealed record ServerCapabilities(
    string PositionEncoding,
    TextDocumentSyncOptions TextDocumentSync,
    WorkspaceServerCapabilities Workspace);

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

public sealed record LogMessageParams(MessageType Type, string Message);

public enum MessageType { Error = 1, Warning = 2, Info = 3, Log = 4, Debug = 5 }

public sealed record StatusParams;

/// <summary>The result of <c>codeassist/status</c>: see docs/protocol.md.</summary>
public sealed record StatusResult(
    string Version,
    int ProcessId,
    string[] WorkspaceFolders,
    OpenDocumentStatus[] OpenDocuments,
    SettingsStatus Settings);

public sealed record OpenDocumentStatus(string Uri, string LanguageId, int Version, int Lines, int Length);

public sealed record SettingsStatus(string LogLevel, string[] Exclude);

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
[JsonSerializable(typeof(StatusParams))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ProtocolJson : JsonSerializerContext;
