using CodeAssist.Context;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;

namespace CodeAssist.Server;

/// <summary>
/// The context engine of the current workspace folders and exclusions. Mutating handlers call it in queue
/// order; it keeps its own snapshots, so reads may query it concurrently. A change of folders or exclusions
/// replaces the engine and indexes again, in the background.
/// </summary>
public sealed class WorkspaceIndex(ServerLog log, Func<CancellationToken, Task<WorkDoneProgress?>> startProgress) : IDisposable
{
    private volatile ContextEngine? _engine;
    private CancellationTokenSource? _indexing;
    private volatile Func<string, int>? _countTokens;

    /// <summary>Null until <c>initialized</c>; requests before that get a clear error.</summary>
    public ContextEngine? Engine => _engine;

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

    /// <summary>
    /// Starts over for <paramref name="snapshot"/>'s folders and exclusions: hands the open documents to a
    /// new engine and indexes the folders in the background, with <c>$/progress</c> where the client takes it.
    /// </summary>
    public void Restart(WorkspaceSnapshot snapshot)
    {
        _indexing?.Cancel();
        _engine?.Dispose();
        var folders = snapshot.Folders.Select(f => DocumentUri.TryGetPath(f.Uri)).OfType<string>().ToArray();
        var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = folders, ExcludeGlobs = snapshot.Settings.Exclude, Log = log.Debug });
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
        var indexing = _indexing = new CancellationTokenSource();
        _ = Task.Run(() => IndexAsync(engine, folders, indexing.Token), CancellationToken.None);
    }

    private async Task IndexAsync(ContextEngine engine, string[] folders, CancellationToken cancellationToken)
    {
        var progress = await startProgress(cancellationToken).ConfigureAwait(false);
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
            log.Info($"Indexed {status.FilesIndexed} files ({status.Lines} lines), skipped {status.FilesSkipped}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.Debug("Indexing stopped: the workspace changed");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Requests keep answering from what was indexed; the user learns why the rest is missing.
            log.Error($"Indexing failed: {exception.Message}");
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
        _indexing?.Cancel();
        _engine?.Dispose();
    }
}
