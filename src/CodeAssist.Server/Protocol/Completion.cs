using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeAssist.Server.Protocol;

// Wire types of inline completion (LSP 3.18's textDocument/inlineCompletion, the same under codeassist/inlineCompletion),
// its show/accept notifications, and workspace/executeCommand. Their [JsonSerializable] lines are on ProtocolJson in
// Messages.cs: the source generator needs them on one declaration of the context.

/// <summary><see cref="TriggerKind"/>: 1 invoked (the user asked), 2 automatic (while typing).</summary>
public sealed record InlineCompletionContext(int TriggerKind, SelectedCompletionInfo? SelectedCompletionInfo = null);

/// <summary>The completion widget's selected item: it would replace <see cref="Range"/> with <see cref="Text"/>.</summary>
public sealed record SelectedCompletionInfo(Range Range, string Text);

public sealed record InlineCompletionParams(TextDocumentIdentifier TextDocument, Position Position, InlineCompletionContext? Context = null);

public sealed record InlineCompletionList(InlineCompletionItem[] Items);

public sealed record InlineCompletionItem(string InsertText, string? FilterText, Range Range, ClientCommand? Command);

/// <summary>LSP's <c>Command</c>: what the client runs through <c>workspace/executeCommand</c> (named apart from System.CommandLine's).</summary>
public sealed record ClientCommand(string Title, string Command, JsonElement[]? Arguments = null);

/// <summary>The argument of <c>codeassist.didAcceptCompletion</c> and the params of <c>codeassist/didShowCompletion</c>.</summary>
public sealed record CompletionIdParams(string CompletionId);

public sealed record DidPartiallyAcceptCompletionParams(string CompletionId, int AcceptedLength);

/// <summary>Announced as <c>inlineCompletionProvider: {}</c>.</summary>
public sealed record InlineCompletionOptions;

/// <summary>The <c>completion</c> part of <c>codeassist/status</c>: see docs/protocol.md.</summary>
public sealed record CompletionStatusReport(
    bool Enabled,
    string? Unavailable,
    long Requests,
    long Shown,
    long Accepted,
    long AcceptedCharacters,
    long PartiallyAccepted,
    long Cancelled,
    long AnsweredFromCache,
    long GenerationsStarted,
    long GenerationsFinished,
    long PromptTokens,
    long ReusedPromptTokens,
    long CompilerRejections,
    long Repaired,
    OverheadReport OverheadMs)
{
    // Always written, null included: clients read "unavailable" to say why completions are empty.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Unavailable { get; init; } = Unavailable;
}

/// <summary>The server's own time per completion that reached the model (debounce and model calls excluded), last 1000.</summary>
public sealed record OverheadReport(double P50, double P99, int Samples);
