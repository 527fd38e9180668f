using System.Collections.Concurrent;
using System.Threading.Channels;
using CodeAssist.Context;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;

namespace CodeAssist.Server;

/// <summary>
/// The context engine of the current workspace folders and exclusions. A change of folders or exclusions
/// replaces the engine and indexes again, in the background.
/// </summary>
/// <remarks>
/// Text sync must stay cheap whatever the document's size, so an edit only records the document's latest
/// text; a background loop hands it to the engine, coalescing a burst of keystrokes into one update, and a
/// context request for the document first applies what is pending for it, so it always sees every earlier
/// edit. Taking and applying a pending text happen under one lock, so an older text never lands after a
/// newer one.
/// </remarks>
public sealed class WorkspaceIndex : IDisposable
{
    private readonly ServerLog _log;
    private readonly Func<CancellationToken, Task<WorkDoneProgress?>> _startProgress;
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);
    // One pending signal at most: a burst of edits wakes the loop once, and it applies the latest texts.
    private readonly Channel<bool> _edited = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly object _applying = new();
    private volatile ContextEngine? _engine;
    private CancellationTokenSource? _indexing;
    private volatile Func<string, int>? _countTokens;

    public WorkspaceIndex(ServerLog log, Func<CancellationToken, Task<WorkDoneProgress?>> startProgress)
    {
        _log = log;
        _startProgress = startProgress;
        _ = Task.Run(ApplyEditsAsync, CancellationToken.None);
    }

    /// <summary>Where indexing stands; null until <c>initialized</c>.</summary>
    public IndexStatus? Status => _engine?.Status;

    /// <summary>The loaded model's token count, or null for the engine's estimate; kept across restarts.</summary>
    public Func<string, int>? CountTokens
    {
        get => _countTokens;
        set
        {
            _countTokens = value;
            if (_engine is { } engine)
            {
                engine.CountTokens = value ?? ContextEngine.EstimateTokens;
            }
        }
    }

    /// <summary>The client's text of an open document, applied soon and before any request about it.</summary>
    public void SetText(string path, string text)
    {
        if (_engine is null)
        {
            return;
        }
        _pending[path] = text;
        _edited.Writer.TryWrite(true);
    }

    public void Close(string path)
    {
        lock (_applying)
        {
            _pending.TryRemove(path, out _);
            _engine?.Close(path);
        }
    }

    public void FilesChanged(IReadOnlyList<string> paths) => _engine?.FilesChanged(paths);

    /// <exception cref="LspException">Before <c>initialized</c>.</exception>
    /// <exception cref="ContextException">The document is neither open nor a readable file of the workspace.</exception>
    public ContextResult GetContext(string path, int line, int character, int budgetTokens, CancellationToken cancellationToken) =>
        EngineFor(path).GetContext(path, line, character, budgetTokens, cancellationToken);

    /// <summary>The engine as it is, for requests about no document in particular (a question without a selection).</summary>
    /// <exception cref="LspException">Before <c>initialized</c>.</exception>
    public ContextEngine Engine => _engine ?? throw new LspException(ErrorCodes.ServerNotInitialized, "The workspace is not loaded yet: send 'initialized' first");

    /// <summary>The engine, with what is pending for <paramref name="path"/> applied, for features that query it directly.</summary>
    /// <exception cref="LspException">Before <c>initialized</c>.</exception>
    public ContextEngine EngineFor(string path)
    {
        var engine = _engine ?? throw new LspException(ErrorCodes.ServerNotInitialized, "The workspace is not loaded yet: send 'initialized' first");
        Apply(path);
        return engine;
    }

    private void Apply(string path)
    {
        lock (_applying)
        {
            if (_pending.TryRemove(path, out var text))
            {
                _engine?.OpenOrChange(path, text);
            }
        }
    }

    private async Task ApplyEditsAsync()
    {
        await foreach (var _ in _edited.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var path in _pending.Keys)
            {
                try
                {
                    Apply(path);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    _log.Error($"Indexing the edit of {path} failed; its context uses the text before it: {exception.Message}");
                }
            }
        }
    }

    /// <summary>
    /// Starts over for <paramref name="snapshot"/>'s folders and exclusions: hands the open documents to a
    /// new engine and indexes the folders in the background, with <c>$/progress</c> where the client takes it.
    /// </summary>
    public void Restart(WorkspaceSnapshot snapshot)
    {
        ContextEngine engine;
        string[] folders;
        // Under the lock, so no pending text taken before the restart lands on the new engine after the snapshot's.
        lock (_applying)
        {
            _indexing?.Cancel();
            _engine?.Dispose();
            _pending.Clear();
            folders = snapshot.Folders.Select(f => DocumentUri.TryGetPath(f.Uri)).OfType<string>().ToArray();
            engine = new ContextEngine(new ContextOptions
            {
                WorkspaceFolders = folders,
                ExcludeGlobs = snapshot.Settings.Exclude,
                CacheDirectory = snapshot.Settings.IndexCache,
                Log = _log.Debug,
            });
            if (_countTokens is { } countTokens)
            {
                engine.CountTokens = countTokens;
            }
            foreach (var document in snapshot.Documents.Values)
            {
                if (DocumentUri.TryGetPath(document.Uri) is { } path)
                {
                    engine.OpenOrChange(path, document.Text);
                }
            }
            _engine = engine;
        }
        var indexing = _indexing = new CancellationTokenSource();
        _ = Task.Run(() => IndexAsync(engine, folders, indexing.Token), CancellationToken.None);
    }

    private async Task IndexAsync(ContextEngine engine, string[] folders, CancellationToken cancellationToken)
    {
        var progress = await _startProgress(cancellationToken).ConfigureAwait(false);
        try
        {
            if (progress is not null)
            {
                await progress.BeginAsync("Indexing", string.Join(", ", folders.Select(Path.GetFileName)), 0).ConfigureAwait(false);
            }
            var lastPercent = -1;
            var reporter = new Progress<IndexProgress>(p =>
            {
                var percent = p.FilesTotal == 0 ? 100 : 100 * p.FilesDone / p.FilesTotal;
                if (progress is not null && percent != Interlocked.Exchange(ref lastPercent, percent))
                {
                    _ = progress.ReportAsync($"{p.FilesDone}/{p.FilesTotal} files", percent);
                }
            });
            await engine.IndexAsync(reporter, cancellationToken).ConfigureAwait(false);
            var status = engine.Status;
            _log.Info($"Indexed {status.FilesIndexed} files ({status.Lines} lines), skipped {status.FilesSkipped}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _log.Debug("Indexing stopped: the workspace changed");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Requests keep answering from what was indexed; the user learns why the rest is missing.
            _log.Error($"Indexing failed: {exception.Message}");
        }
        finally
        {
            if (progress is not null)
            {
                await progress.EndAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _edited.Writer.TryComplete();
        _indexing?.Cancel();
        _engine?.Dispose();
    }
}
