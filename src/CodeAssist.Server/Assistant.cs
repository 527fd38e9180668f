using System.Collections.Immutable;
using System.Text.Json;
using CodeAssist.Context;
using CodeAssist.Features;
using CodeAssist.Features.Generation;
using CodeAssist.Features.Prompts;
using CodeAssist.Lsp;
using CodeAssist.Models;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server;

/// <summary>
/// What the action handlers (chat, explain, document, tests, translate, and commit messages for their templates) share: a <see cref="Workbench"/> for each request
/// from the current engine, model and prompt templates, the counters <c>codeassist/status</c> reports, the prompt log of test
/// mode, and one translation of the features' failures into protocol errors.
/// </summary>
public sealed class Assistant(WorkspaceIndex index, ModelHost model, ServerLog log, PromptLog? promptLog)
{
    private readonly object _gate = new();
    private (ImmutableArray<WorkspaceFolder> Folders, IReadOnlyDictionary<string, string> Overrides, string Stamp, PromptLibrary Library)? _prompts;

    public ActionCounters Counters { get; } = new();

    /// <summary>The workbench of a request about <paramref name="path"/> (or about no document): fails with what to do when no model is usable.</summary>
    /// <exception cref="LspException">No usable model (RequestFailed), or before <c>initialized</c>.</exception>
    public Workbench For(RequestContext context, string? path)
    {
        var engine = path is null ? index.Engine : index.EngineFor(path);
        var current = model.Current ?? throw new LspException(ErrorCodes.RequestFailed, model.State.Unavailable ?? "No model is loaded.");
        var snapshot = context.Snapshot;
        return new Workbench(engine, current, Prompts(snapshot))
        {
            Counters = Counters,
            MaxAnswerTokens = snapshot.Settings.Actions.MaxTokens,
            Temperature = snapshot.Settings.Actions.Temperature,
            PromptObserver = promptLog is null ? null : promptLog.Write,
            WorkspaceFolders = snapshot.Folders.Select(f => DocumentUri.TryGetPath(f.Uri)).OfType<string>().ToArray(),
        };
    }

    /// <summary>
    /// The templates of chat, the actions and commit messages: loaded again only when the folders, the <c>prompts</c>
    /// setting or a workspace's <c>.codeassist/prompts/</c> changed since. A user's template that does not parse is
    /// reported and the built-in one used.
    /// </summary>
    public PromptLibrary Prompts(WorkspaceSnapshot snapshot)
    {
        var folders = snapshot.Folders.Select(f => DocumentUri.TryGetPath(f.Uri)).OfType<string>().ToArray();
        var stamp = PromptLibrary.WorkspaceStamp(folders);
        lock (_gate)
        {
            if (_prompts is { } loaded && loaded.Folders == snapshot.Folders && ReferenceEquals(loaded.Overrides, snapshot.Settings.Prompts) && loaded.Stamp == stamp)
            {
                return loaded.Library;
            }
            var library = PromptLibrary.Load(folders, snapshot.Settings.Prompts, log.Warning);
            _prompts = (snapshot.Folders, snapshot.Settings.Prompts, stamp, library);
            return library;
        }
    }

    /// <summary>Runs a feature, turning what the user can fix into RequestFailed with the feature's own words.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> feature)
    {
        try
        {
            return await feature().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FeatureException or ContextException or ModelException or PromptException)
        {
            throw new LspException(ErrorCodes.RequestFailed, exception.Message);
        }
    }

    /// <summary>Whether the document may be shown to a model at all: code actions are not offered on one that may not.</summary>
    public bool MayReachPrompt(string path) => index.EngineFor(path).PromptRefusal(path) is null;

    /// <summary>The selection a request names: the client's text when the document is open, else the file's; the range clamped to the text.</summary>
    /// <exception cref="LspException">InvalidParams for a URI that is not <c>file:</c> or a range that ends before it starts; RequestFailed for a document that cannot be read.</exception>
    public CodeSelection Selection(RequestContext context, string uri, Range? range)
    {
        var path = DocumentUri.GetPath(uri);
        string text;
        string? languageId = null;
        LineIndex lines;
        var open = context.Snapshot.Documents.GetValueOrDefault(uri)
            ?? context.Snapshot.Documents.Values.FirstOrDefault(d => DocumentUri.TryGetPath(d.Uri) == path);
        if (open is not null)
        {
            (text, languageId, lines) = (open.Text, open.LanguageId, open.Lines);
        }
        else
        {
            try
            {
                text = index.EngineFor(path).DocumentText(path);
            }
            catch (ContextException exception)
            {
                throw new LspException(ErrorCodes.RequestFailed, exception.Message);
            }
            lines = new LineIndex(text);
        }
        var language = CodeLanguage.Of(path, languageId);
        if (range is null) return new CodeSelection(path, text, 0, 0, language);
        if (range.Start.Line > range.End.Line || range.Start.Line == range.End.Line && range.Start.Character > range.End.Character)
            throw new LspException(ErrorCodes.InvalidParams, "range.start is after range.end");
        return new CodeSelection(path, text, lines.ToOffset(text, range.Start), lines.ToOffset(text, range.End), language);
    }

    public static Range ToRange(SourceSpan span) => new(new Position(span.StartLine, span.StartCharacter), new Position(span.EndLine, span.EndCharacter));

    public static ReferenceResult[] References(IReadOnlyList<Reference> references) =>
        references.Select(r => new ReferenceResult(DocumentUri.FromPath(r.Path), ToRange(r.Range), r.Reason)).ToArray();

    public static Diagnostic[] Diagnostics(IReadOnlyList<CodeDiagnostic> diagnostics) =>
        diagnostics.Select(d => new Diagnostic(ToRange(d.Span), d.IsError ? 1 : 2, d.Id, d.Message)).ToArray();

    /// <summary>The client's version of an open document, for the edits made on its text; null when it is not open.</summary>
    public static int? VersionOf(RequestContext context, string path) =>
        context.Snapshot.Documents.Values.FirstOrDefault(d => DocumentUri.TryGetPath(d.Uri) == path)?.Version;

    /// <summary>Runs <paramref name="work"/> inside work-done progress (begin, end) when the client gave a token.</summary>
    public async Task<T> WithProgressAsync<T>(JsonRpcConnection connection, ProgressToken? token, string title, Func<Task<T>> work)
    {
        if (token is not { } given) return await work().ConfigureAwait(false);
        var progress = new WorkDoneProgress(connection, given, log.Debug);
        await progress.BeginAsync(title).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            await progress.EndAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends each piece of text under the request's partial result token; null when the client gave none.</summary>
    public static Func<string, CancellationToken, Task>? Stream(JsonRpcConnection connection, ProgressToken? token) => token is { } partial
        ? (text, _) => WorkDoneProgress.SendPartialResultAsync(connection, partial, new PartialText(text), ActionsJson.Default.PartialText)
        : null;

    /// <summary>As <see cref="Stream"/>, with the repair round each piece belongs to.</summary>
    public static Func<string, int, CancellationToken, Task>? StreamRounds(JsonRpcConnection connection, ProgressToken? token) => token is { } partial
        ? (text, round, _) => WorkDoneProgress.SendPartialResultAsync(connection, partial, new PartialText(text, round), ActionsJson.Default.PartialText)
        : null;
}

/// <summary>
/// Test mode: every prompt a model is given, appended as one JSON line (<see cref="PromptLogEntry"/>) to the file that
/// <c>CODEASSIST_PROMPT_LOG</c> names, so tests can check what reached a model (nothing secret, the retrieval's order).
/// Off unless the variable is set: prompts hold the user's code.
/// </summary>
public sealed class PromptLog(string path)
{
    private readonly object _gate = new();

    public const string Variable = "CODEASSIST_PROMPT_LOG";

    public static PromptLog? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? new PromptLog(path) : null;

    public void Write(string task, IReadOnlyList<ChatMessage> messages)
    {
        var entry = new PromptLogEntry(task, messages.Select(m => new ChatMessageParams(m.Role, m.Content)).ToArray());
        var line = JsonSerializer.Serialize(entry, ActionsJson.Default.PromptLogEntry) + "\n";
        lock (_gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
