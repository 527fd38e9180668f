namespace CodeAssist.Features.Completion;

/// <summary>
/// An editor's request for ghost text: the document's current text and the cursor in it (a UTF-16 offset, and the same
/// point as a 0-based line and character for the context engine). Built by the server from the client's request.
/// </summary>
public sealed record CompletionQuery
{
    /// <summary>
    /// The request's place in arrival order: a request supersedes those with a lower or equal one. Requests run
    /// concurrently, so the order they reach the service in is not the order the editor sent them.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>Identifies the document across requests (the URI): suggestions are cached and the KV cache kept per document.</summary>
    public required string DocumentKey { get; init; }

    /// <summary>The file's absolute path; null for a buffer that is not a file (no cross-file context then).</summary>
    public string? Path { get; init; }

    public required string Text { get; init; }

    public required int Offset { get; init; }

    public required int Line { get; init; }

    public required int Character { get; init; }

    public string LanguageId { get; init; } = "";

    /// <summary>The user asked (several candidates, no debounce); otherwise the editor asks while the user types.</summary>
    public bool Invoked { get; init; }

    /// <summary>The item selected in the editor's completion widget, which the suggestion must continue.</summary>
    public SelectedCompletion? Selected { get; init; }

    /// <summary>The workspace folder holding the document: prompt paths are relative to it and it names the repository.</summary>
    public string? WorkspaceFolder { get; init; }
}

/// <summary>The completion widget's selection: it would replace <see cref="Start"/>..<see cref="End"/> (offsets) with <see cref="Text"/>.</summary>
public sealed record SelectedCompletion(int Start, int End, string Text);

/// <summary>The <c>completion</c> settings, as the pipeline uses them.</summary>
public sealed record CompletionOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Language ids completions are offered for; empty = all.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>A fixed wait before generating while the user types; null adapts it to the typing rate.</summary>
    public int? DebounceMs { get; init; }

    public int MaxTokens { get; init; } = 64;

    /// <summary>Token budget of the cross-file context in a prompt.</summary>
    public int ContextTokens { get; init; } = 1024;

    public bool IsEnabledFor(string languageId) =>
        Enabled && (Languages.Count == 0 || Languages.Contains(languageId, StringComparer.OrdinalIgnoreCase));
}

/// <summary>
/// One suggestion: <see cref="InsertText"/> replaces the document's <see cref="Start"/>..<see cref="End"/> (offsets in the
/// query's text; <see cref="Start"/> is before the cursor when the suggestion continues a word or the widget's selection,
/// <see cref="End"/> after it when it retypes what follows on the line). <see cref="Diagnostics"/> are the compiler errors
/// it would introduce (C# only).
/// </summary>
public sealed record Suggestion(string Id, string InsertText, int Start, int End, IReadOnlyList<Context.CodeDiagnostic> Diagnostics);

/// <summary>Where an answer came from; the list is empty for every kind but <see cref="Model"/> and <see cref="Cache"/>.</summary>
public enum AnswerKind { Model, Cache, Nothing, Cancelled, Disabled, Unavailable }

public sealed record CompletionAnswer(IReadOnlyList<Suggestion> Suggestions, AnswerKind Kind)
{
    public static CompletionAnswer Empty(AnswerKind kind) => new([], kind);

    /// <summary>Candidates the compiler's check held back (each names something that does not exist, or is not code),
    /// with what they introduce: never shown in an editor, printed by <c>codeassist complete</c> so a user sees why
    /// nothing came.</summary>
    public IReadOnlyList<HeldBackCandidate> HeldBack { get; init; } = [];
}

/// <summary>A generated candidate that was not shown, and the compiler errors it would have introduced.</summary>
/// <param name="Unparsable">The parser cannot read the text as code (so it was not bound: the errors are the parser's).</param>
public sealed record HeldBackCandidate(string Text, IReadOnlyList<Context.CodeDiagnostic> Diagnostics, bool Unparsable);
