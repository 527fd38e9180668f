using System.Text.Json;
using System.Text.Json.Serialization;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Protocol;

// Wire types of codeassist/chat, explain, document, generateTests and translate, of code actions and commands, and of the
// server-to-client requests they make (workspace/applyEdit, window/showMessageRequest). See docs/protocol.md.

public sealed record ChatMessageParams(string Role, string Content);

public sealed record ChatParams(
    ChatMessageParams[] Messages,
    TextDocumentIdentifier? TextDocument = null,
    Range? Range = null,
    int? BudgetTokens = null,
    ProgressToken? PartialResultToken = null,
    ProgressToken? WorkDoneToken = null);

/// <summary>The result of <c>codeassist/chat</c> and <c>codeassist/explain</c>.</summary>
public sealed record ChatResult(string Text, ReferenceResult[] References);

public sealed record ReferenceResult(string Uri, Range Range, string Reason);

/// <summary>Params of <c>codeassist/explain</c> and <c>codeassist/generateTests</c>.</summary>
public sealed record SelectionParams(TextDocumentIdentifier TextDocument, Range Range, ProgressToken? PartialResultToken = null, ProgressToken? WorkDoneToken = null);

public sealed record DocumentParams(TextDocumentIdentifier TextDocument, Range Range, bool Overwrite = false, ProgressToken? PartialResultToken = null,
    ProgressToken? WorkDoneToken = null);

public sealed record DocumentResult(WorkspaceEdit Edit, string[] Documented, string[] Skipped);

public sealed record GenerateTestsResult(string Uri, string Text, string Framework, bool Compiles, int Rounds, Diagnostic[] Diagnostics, WorkspaceEdit Edit);

public sealed record TranslateParams(TextDocumentIdentifier TextDocument, Range Range, string? Language = null, ProgressToken? PartialResultToken = null,
    ProgressToken? WorkDoneToken = null);

public sealed record TranslateResult(
    string Text,
    string Language,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? Compiles,
    int Rounds,
    Diagnostic[] Diagnostics);

/// <summary>A <c>$/progress</c> value under a request's partial result token: the next piece of text (of a repair round, for tests and translations).</summary>
public sealed record PartialText(string Text, int? Round = null);

/// <summary>An LSP Diagnostic of generated code; <see cref="Severity"/> 1 = error, 2 = warning.</summary>
public sealed record Diagnostic(Range Range, int Severity, string Code, string Message, string Source = "codeassist");

public sealed record WorkspaceEdit(DocumentChange[] DocumentChanges);

/// <summary>
/// One entry of <c>documentChanges</c>: a TextDocumentEdit (<see cref="TextDocument"/> and <see cref="Edits"/>) or a
/// CreateFile (<see cref="Kind"/> "create", <see cref="Uri"/>).
/// </summary>
public sealed record DocumentChange(
    string? Kind = null,
    string? Uri = null,
    OptionalVersionedTextDocumentIdentifier? TextDocument = null,
    TextEdit[]? Edits = null,
    CreateFileOptions? Options = null);

public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Version);

public sealed record TextEdit(Range Range, string NewText);

public sealed record CreateFileOptions(bool? Overwrite = null, bool? IgnoreIfExists = null);

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext? Context = null);

public sealed record CodeActionContext(string[]? Only = null);

public sealed record CodeAction(string Title, string Kind, CodeActionCommand Command);

public sealed record CodeActionCommand(string Title, [property: JsonPropertyName("command")] string Name, CommandArgument[] Arguments);

/// <summary>The argument of the <c>codeassist.explain|document|generateTests|translate</c> commands.</summary>
public sealed record CommandArgument(
    CommandDocument TextDocument,
    Range Range,
    string? Language = null,
    bool? Overwrite = null,
    ProgressToken? PartialResultToken = null);

public sealed record CommandDocument(string Uri, int? Version = null);

public sealed record ApplyWorkspaceEditParams(string Label, WorkspaceEdit Edit);

public sealed record ShowMessageRequestParams(MessageType Type, string Message, MessageActionItem[] Actions);

public sealed record MessageActionItem(string Title);

public sealed record CodeActionOptions(string[] CodeActionKinds);

/// <summary>One line of the prompt log (<c>CODEASSIST_PROMPT_LOG</c>): a prompt as the model received it.</summary>
public sealed record PromptLogEntry(string Task, ChatMessageParams[] Messages);

/// <summary>
/// The source-generated JSON of these types, beside <see cref="ProtocolJson"/> with the same options (one generated context
/// per file: the generator cannot spread one context over several partial declarations).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ChatParams))]
[JsonSerializable(typeof(ChatResult))]
[JsonSerializable(typeof(SelectionParams))]
[JsonSerializable(typeof(DocumentParams))]
[JsonSerializable(typeof(DocumentResult))]
[JsonSerializable(typeof(GenerateTestsResult))]
[JsonSerializable(typeof(TranslateParams))]
[JsonSerializable(typeof(TranslateResult))]
[JsonSerializable(typeof(PartialText))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(CodeAction[]))]
[JsonSerializable(typeof(CommandArgument))]
[JsonSerializable(typeof(ApplyWorkspaceEditParams))]
[JsonSerializable(typeof(ShowMessageRequestParams))]
[JsonSerializable(typeof(MessageActionItem))]
[JsonSerializable(typeof(PromptLogEntry))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ActionsJson : JsonSerializerContext;
