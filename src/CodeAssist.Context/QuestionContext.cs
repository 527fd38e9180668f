using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// A question about the repository as retrieval reads it: the user's words and, optionally, the selection they are
/// about (UTF-16 offsets into the engine's text of <see cref="Path"/>, which is the client's text when it is open).
/// </summary>
public sealed record Question
{
    /// <summary>The question itself: the symbols it names weigh most.</summary>
    public required string Text { get; init; }

    /// <summary>Earlier turns of the conversation (the user's words): their symbols count, less than the question's.</summary>
    public IReadOnlyList<string> EarlierTurns { get; init; } = [];

    public string? Path { get; init; }

    public int SelectionStart { get; init; }

    public int SelectionEnd { get; init; }

    /// <summary>Lexical search (BM25 over line windows) alone, without Roslyn: the baseline of the benchmark.</summary>
    public bool LexicalOnly { get; init; }
}

/// <summary>
/// One piece of repository context for a question, with why it was chosen. <see cref="Range"/> is the span of source
/// <see cref="Text"/> was taken from; <see cref="Kind"/> is <c>named</c> (a declaration the question names), <c>usage</c>
/// (where such a symbol is used), <c>selection</c> (what the selection uses or sits in), <c>lexical</c> (a BM25 window)
/// or <c>repositoryMap</c> (the most referenced types, for long windows).
/// </summary>
public sealed record QuestionItem(string Path, SourceSpan Range, string Kind, string Reason, string Text);

/// <summary>The items most relevant first, and their tokens as <see cref="ContextEngine.CountTokens"/> counts them.</summary>
public sealed record QuestionContext(IReadOnlyList<QuestionItem> Items, int Tokens);

public sealed partial class ContextEngine
{
    /// <summary>
    /// Repository context for a question, packed into <paramref name="budgetTokens"/> most relevant first: the declarations of
    /// the symbols it names (resolved with Roslyn), where they are used, what the selection uses and sits in, BM25 windows
    /// for its words over every text file, and for long budgets the repository map. The selection itself is not among the
    /// items: the caller shows it. Like <see cref="GetContext"/>, it never waits for indexing.
    /// </summary>
    /// <exception cref="ContextException">The question's document is neither open nor a readable file of the workspace.</exception>
    public QuestionContext GetQuestionContext(Question question, int budgetTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var snapshot = _snapshot;
        SourceDocument? document = null;
        SourceText? text = null;
        if (question.Path is { } questionPath)
        {
            var path = NormalizePath(questionPath);
            if (!snapshot.Documents.TryGetValue(path, out document))
            {
                // Not indexed (yet): read for this question only, like GetContext does.
                if (!_files.IsInWorkspace(path)) throw new ContextException($"{path} is outside the workspace folders and was not opened.");
                var (read, refusal) = WorkspaceFiles.Read(path);
                if (read is null) throw new ContextException($"{path} cannot be read: {refusal}.");
                document = CreateDocument(path, read, null, isOpen: false, isContextSource: false);
                snapshot = snapshot.With([(path, document)], keepFacts: true);
            }
            text = document.ReadText() ?? throw new ContextException($"{path} can no longer be read.");
        }
        if (budgetTokens <= 0) return new QuestionContext([], 0);
        return QuestionRetrieval.Run(snapshot, document, text, question, budgetTokens, CountTokens, Log, cancellationToken);
    }

    /// <summary>
    /// Why no prompt may show the file (outside the workspace folders, secret-looking by name or by a private-key block,
    /// excluded by a glob, ignored by .gitignore), or null. Features check the document a selection comes from with this:
    /// the engine itself never gives such a file as context.
    /// </summary>
    public string? PromptRefusal(string path)
    {
        string fullPath;
        try
        {
            fullPath = NormalizePath(path);
        }
        catch (ContextException exception)
        {
            return exception.Message;
        }
        if (_files.PromptRefusal(fullPath) is { } reason) return reason;
        if (_files.IsGitIgnored(fullPath)) return "ignored by .gitignore";
        return _snapshot.Documents.TryGetValue(fullPath, out var document) && document.ReadText() is { } text && WorkspaceFiles.ContainsPrivateKey(text.ToString())
            ? "contains a private key"
            : null;
    }

    /// <summary>The engine's text of a document: the client's when open, else the file's (within the engine's size and encoding rules).</summary>
    /// <exception cref="ContextException">The document is neither open nor a readable file of the workspace.</exception>
    public string DocumentText(string path)
    {
        path = NormalizePath(path);
        if (_snapshot.Documents.TryGetValue(path, out var document) && document.IsOpen && document.ReadText() is { } open) return open.ToString();
        if (!_files.IsInWorkspace(path)) throw new ContextException($"{path} is outside the workspace folders and was not opened.");
        var (text, refusal) = WorkspaceFiles.Read(path);
        return text ?? throw new ContextException($"{path} cannot be read: {refusal}.");
    }
}
