using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// Retrieves, for a cursor in a C# document, the declarations from the rest of the workspace that a completion
/// model needs, within a token budget; says what the code at a cursor asks of a completion
/// (<see cref="AnalyzeCompletionSite"/>) and which candidate texts would compile there (<see cref="CheckInsertions"/>).
/// Threading: every update (indexing batches, <see cref="OpenOrChange"/>, <see cref="Close"/>,
/// <see cref="FilesChanged"/>) builds a new immutable <see cref="WorkspaceSnapshot"/> under <c>_gate</c> and
/// publishes it; <see cref="GetContext"/> reads the latest snapshot without locking, so queries run concurrently
/// with updates and answer with whatever part of the repository is indexed.
/// </summary>
public sealed partial class ContextEngine : IDisposable
{
    // Files between progress reports during indexing, and the fewest published at once.
    private const int StepFiles = 128;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Preview, DocumentationMode.None);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_frameworkReferences = new(LoadFrameworkReferences);

    private readonly ContextOptions _options;
    private readonly WorkspaceFiles _files;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private volatile WorkspaceSnapshot _snapshot;
    private volatile IndexState _state = IndexState.NotStarted;
    private int _filesSkipped;
    private volatile bool _bodyless;

    public ContextEngine(ContextOptions options)
    {
        if (options.WorkspaceFolders.Any(f => !Path.IsPathFullyQualified(f)))
            throw new ArgumentException("Workspace folders must be absolute paths.", nameof(options));
        _options = options;
        _files = new WorkspaceFiles(options.WorkspaceFolders, options.ExcludeGlobs);
        var compilation = CSharpCompilation.Create(
            "Workspace",
            references: s_frameworkReferences.Value,
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, concurrentBuild: false));
        var documents = ImmutableDictionary.Create<string, SourceDocument>(StringComparer.Ordinal);
        _snapshot = new WorkspaceSnapshot(compilation, documents, new RepositoryFactsCell(documents, null));
    }

    /// <summary>
    /// Counts the tokens of an item's text; the default is 4 characters a token, rounded up. A tokenizer set here is
    /// asked once per text (<see cref="TokenCounts"/>).
    /// </summary>
    public Func<string, int> CountTokens
    {
        get => _countTokens;
        set => _countTokens = value == EstimateTokens ? value : new TokenCounts(value).Count;
    }

    private Func<string, int> _countTokens = EstimateTokens;

    /// <summary>4 characters a token, rounded up: the estimate used until a model's tokenizer is loaded.</summary>
    public static int EstimateTokens(string text) => (text.Length + 3) / 4;

    public IndexStatus Status
    {
        get
        {
            var snapshot = _snapshot;
            long lines = 0;
            foreach (var document in snapshot.Documents.Values) lines += document.LineCount;
            return new IndexStatus(_state, snapshot.Documents.Count, Volatile.Read(ref _filesSkipped), lines);
        }
    }

    /// <summary>
    /// Reads and parses every eligible file of the workspace folders, publishing snapshots as it goes so that
    /// queries answer with what is ready. Documents the client opened meanwhile keep the client's text. With a
    /// <see cref="ContextOptions.CacheDirectory"/>, what the last run learnt of unchanged files is published first
    /// and only parsing is left to do for them; the summaries are written back when indexing is done.
    /// </summary>
    public async Task IndexAsync(IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var token = linked.Token;
        _state = IndexState.Indexing;
        var stopwatch = Stopwatch.StartNew();
        var paths = new List<string>();
        var skipped = new List<(string Path, string Reason)>();
        await Task.Run(() => _files.Enumerate(paths, skipped, token), token).ConfigureAwait(false);
        foreach (var (path, reason) in skipped) Log($"skipped {path}: {reason}");
        Interlocked.Add(ref _filesSkipped, skipped.Count);
        progress?.Report(new IndexProgress(0, paths.Count, $"{paths.Count} files to index"));
        long csharpBytes = paths.Where(WorkspaceFiles.IsCSharp).Sum(path => FileStamp.Of(path)?.Length ?? 0);
        // Whole trees take about five times their source in memory, but keep a document's first query fast: opening
        // a file whose compiled tree is whole and unchanged leaves the compilation and all it has bound as it is.
        _bodyless = csharpBytes > _options.WholeTreesUpToBytes;
        if (_bodyless) Log($"{csharpBytes / (1024 * 1024)} MB of C#: closed files are compiled without their member bodies");

        string? cacheFile = _options.CacheDirectory is { } directory ? IndexCache.FileFor(directory, _options.WorkspaceFolders) : null;
        var cache = cacheFile is null ? [] : await Task.Run(() => IndexCache.Load(cacheFile, Log), token).ConfigureAwait(false);
        var toRead = cache.Count == 0 ? paths : await Task.Run(() => PublishCached(paths, cache, token), token).ConfigureAwait(false);
        Log($"index cache: {paths.Count - toRead.Count} files known, {toRead.Count} to read");

        // Each published snapshot costs the next query a declaration table and repository facts over every file so
        // far, so publish when the unpublished part reaches what is published: a handful of snapshots for a large
        // repository, and queries in between reuse the last one's tables. Workers take files one at a time; the one
        // that finds enough unpublished publishes them while the others read on.
        var unpublished = new ConcurrentQueue<SourceDocument>();
        var publishing = new object();
        int published = 0, read = 0, reported = 0;
        void Publish(bool all)
        {
            if (!Monitor.TryEnter(publishing)) return;
            try
            {
                if (all || unpublished.Count >= Math.Max(StepFiles, published))
                {
                    var documents = new List<SourceDocument>();
                    while (unpublished.TryDequeue(out var document)) documents.Add(document);
                    lock (_gate)
                    {
                        // Skip what the client opened while the files were read: its text wins over the disk's.
                        var changes = documents.Where(d => !(_snapshot.Documents.TryGetValue(d.Path, out var current) && current.IsOpen))
                            .OrderBy(d => d.Path, StringComparer.Ordinal)
                            .Select(d => (d.Path, (SourceDocument?)d)).ToArray();
                        // Trees for summaries already published leave the facts as they are.
                        bool sameSummaries = changes.All(c => _snapshot.Documents.TryGetValue(c.Path, out var current) && current.Summary == c.Item2!.Summary);
                        _snapshot = _snapshot.With(changes, keepFacts: sameSummaries);
                    }
                    published += documents.Count;
                }
                int done = Volatile.Read(ref read);
                if (all || done - reported >= StepFiles)
                {
                    reported = done;
                    progress?.Report(new IndexProgress(paths.Count - toRead.Count + done, paths.Count, null));
                }
            }
            finally
            {
                Monitor.Exit(publishing);
            }
        }
        // One dedicated thread per core, not the thread pool: requests need its threads while indexing runs.
        int next = -1;
        void Work()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < toRead.Count;)
            {
                token.ThrowIfCancellationRequested();
                string path = toRead[i];
                if (!(_snapshot.Documents.TryGetValue(path, out var existing) && existing.IsOpen)
                    && LoadFromDisk(path, null, cache.GetValueOrDefault(path)) is { } document)
                    unpublished.Enqueue(document);
                Interlocked.Increment(ref read);
                Publish(all: false);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Task.Factory.StartNew(Work, token, TaskCreationOptions.LongRunning, TaskScheduler.Default))).ConfigureAwait(false);
        Publish(all: true);

        // Build the declaration table and the repository facts, and warm what the first queries would wait for, now.
        await Task.Run(() =>
        {
            _ = _snapshot.Compilation.Assembly.GlobalNamespace.GetMembers();
            _ = _snapshot.Facts.Complete();
            Warm(token);
        }, token).ConfigureAwait(false);
        _state = IndexState.Ready;
        var status = Status;
        Log($"indexed {status.FilesIndexed} files ({status.Lines} lines) in {stopwatch.ElapsedMilliseconds} ms; {status.FilesSkipped} skipped");
        progress?.Report(new IndexProgress(paths.Count, paths.Count, "ready"));
        if (cacheFile is not null) await Task.Run(() => SaveCache(cacheFile, cache), token).ConfigureAwait(false);
    }

    /// <summary>Publishes the cached summaries of unchanged files; returns the files still to read (C# ones for their trees).</summary>
    private List<string> PublishCached(List<string> paths, Dictionary<string, CachedSummary> cache, CancellationToken token)
    {
        var known = new SourceDocument?[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = token }, i =>
        {
            if (cache.TryGetValue(paths[i], out var cached) && FileStamp.Of(paths[i]) == cached.Stamp)
                known[i] = SourceDocument.Indexed(paths[i], cached.Summary, cached.Stamp);
        });
        lock (_gate)
        {
            var changes = known.OfType<SourceDocument>().Where(d => !(_snapshot.Documents.TryGetValue(d.Path, out var current) && current.IsOpen))
                .Select(d => (d.Path, (SourceDocument?)d)).ToArray();
            _snapshot = _snapshot.With(changes, keepFacts: false);
        }
        return paths.Where((path, i) => known[i] is null || WorkspaceFiles.IsCSharp(path)).ToList();
    }

    /// <summary>Writes the summaries of the files as read from disk, unless they are what <paramref name="loaded"/> already holds.</summary>
    private void SaveCache(string cacheFile, Dictionary<string, CachedSummary> loaded)
    {
        var stopwatch = Stopwatch.StartNew();
        var entries = _snapshot.Documents.Values
            .Where(d => d is { IsOpen: false, Stamp: not null })
            .Select(d => (d.Path, Entry: new CachedSummary(d.Stamp!.Value, d.Summary)))
            .ToList();
        if (entries.Count == loaded.Count && entries.All(e => loaded.TryGetValue(e.Path, out var known) && known.Summary == e.Entry.Summary)) return;
        try
        {
            IndexCache.Save(cacheFile, entries);
            Log($"index cache: {entries.Count} files written to {cacheFile} in {stopwatch.ElapsedMilliseconds} ms");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"index cache {cacheFile} not written: {e.Message}");
        }
    }

    /// <summary>
    /// The client opened or edited a document: its text replaces the disk's until <see cref="Close"/>. Opening it starts
    /// warming what its first query needs (<see cref="DocumentWarmup"/>) in the background; the next edit, or that
    /// query arriving first, stops it.
    /// </summary>
    public void OpenOrChange(string path, string text)
    {
        path = NormalizePath(path);
        lock (_gate)
        {
            var old = _snapshot.Documents.GetValueOrDefault(path);
            // A text larger than the index reads is no context source, as the file would not be.
            bool isContextSource = old?.IsContextSource ?? (_files.Refusal(path) is null && text.Length <= WorkspaceFiles.MaxFileBytes);
            // The ranking facts are of context sources only: opening one of these changes none.
            bool keepFacts = old is not null || !isContextSource;
            if (old is not { IsOpen: true }) _lastOpened = path;
            if (WorkspaceFiles.IsCSharp(path) && text.Length > ParsedInBackgroundAbove && old is not { HasWholeTree: true })
            {
                var parsing = SourceDocument.Parsing(path, SourceText.From(text), isContextSource, BodylessSource(old));
                Publish(path, parsing, keepFacts);
                RestartWarmup(null);
                if (!_parsing.ContainsKey(path) && !_disposed.IsCancellationRequested) StartParse(parsing);
                return;
            }
            var document = Changed(path, text, old, isContextSource);
            Publish(path, document, keepFacts);
            RestartWarmup(old is { IsOpen: true } ? null : document);
        }
    }

    /// <summary>
    /// Publishes the client's new text of <paramref name="path"/>, and compiles the declarations typed in another
    /// document that were pending (<see cref="DeclarationEdit"/>): its new members are what code typed here may use.
    /// Called under <c>_gate</c>.
    /// </summary>
    private void Publish(string path, SourceDocument document, bool keepFacts)
    {
        var changes = new List<(string, SourceDocument?)> { (path, document) };
        if (_declarationsTyped is { } typed && typed != path && _snapshot.Documents.GetValueOrDefault(typed) is { Edit: DeclarationEdit } pending)
            changes.Add((typed, pending.CompiledAsItself()));
        _declarationsTyped = document.Edit is DeclarationEdit ? path : null;
        _snapshot = _snapshot.With(changes, keepFacts);
    }

    // The open document whose typed declarations the compilation does not hold yet, under _gate.
    private string? _declarationsTyped;

    /// <summary>
    /// Open C# documents longer than this (in UTF-16 code units) are parsed in the background unless a whole tree of the
    /// file is there to reparse incrementally: an 8 MB generated binding takes seconds on two cores, a 1 MB one 60-130 ms
    /// that the first query waited for. A query before the parse lands reads a <see cref="CursorSketch"/> of the text;
    /// the compilation keeps the file's bodyless tree meanwhile, where it has one.
    /// </summary>
    internal const int ParsedInBackgroundAbove = 256 * 1024;

    /// <summary>
    /// How long a background parse waits in all for the queries that run meanwhile (<see cref="YieldingText"/>): the
    /// first query in the file and those right after it get the cores, and typing on does not keep the tree away.
    /// </summary>
    internal static readonly TimeSpan ParseYieldsAtMost = TimeSpan.FromMilliseconds(500);

    // The parses in flight by path, under _gate; and the document opened last, whose parse landing warms it.
    private readonly Dictionary<string, (CancellationTokenSource Cancel, Task Task)> _parsing = new(StringComparer.Ordinal);
    private string? _lastOpened;

    /// <summary>
    /// Parses the document in the background and publishes its tree. Edits made meanwhile are applied to the parsed
    /// tree incrementally, outside the gate, until the tree has the document's current text; closing it cancels.
    /// </summary>
    private void StartParse(SourceDocument parsing)
    {
        string path = parsing.Path;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var token = cancel.Token;
        // A thread of its own: seconds of parsing on a pool thread starve the pool of the 2-core machine, and the
        // request that should be answered from a sketch meanwhile waited a second for the pool to grow.
        var task = Task.Factory.StartNew(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                // What a query on a sketch ranks by (see SourceDocument.CompiledForQuery): counted first, in milliseconds.
                _ = parsing.IdentifierCounts;
                var text = new YieldingText(parsing.ReadText()!, YieldingText.WhileQueriesRun(_noQuery, ParseYieldsAtMost, token));
                SyntaxTree tree;
                try
                {
                    tree = CSharpSyntaxTree.ParseText(text, s_parseOptions, path, token);
                }
                finally
                {
                    text.StopYielding();
                }
                while (true)
                {
                    SourceText current;
                    lock (_gate)
                    {
                        if (token.IsCancellationRequested || _snapshot.Documents.GetValueOrDefault(path) is not { IsParsing: true } document) return;
                        current = document.ReadText()!;
                        if (current == text.Text || current.ContentEquals(tree.GetText()))
                        {
                            var parsed = SourceDocument.FromText(path, tree.GetText(), tree, isOpen: true, document.IsContextSource);
                            // As an edit to a file of a bodyless repository does (see Changed): a text declaring what the
                            // file as indexed does keeps its bodyless tree in the compilation.
                            if (document.IndexedFile is { } indexed) parsed = parsed.StandingIn(indexed, declaredAs: indexed.Tree!);
                            _snapshot = _snapshot.With([(path, parsed)], keepFacts: true);
                            _parsing.Remove(path);
                            _lastView = null;
                            if (_lastOpened == path) RestartWarmup(parsed);
                            break;
                        }
                    }
                    tree = tree.WithChangedText(new EditedText(current.ToString(), tree.GetText()));
                }
                Log($"parsed {path} in the background in {stopwatch.ElapsedMilliseconds} ms");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The document stays sketched for every query: slower to answer from, but answered.
                Log($"parsing {path} failed: {exception}");
            }
            finally
            {
                lock (_gate)
                {
                    if (_parsing.GetValueOrDefault(path).Cancel == cancel) _parsing.Remove(path);
                }
                cancel.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Under _gate, which the task takes before it ends: the entry is in place when it looks.
        _parsing[path] = (cancel, task);
    }

    /// <summary>The snapshot queries read now.</summary>
    internal WorkspaceSnapshot Snapshot => _snapshot;

    private int _sketched;

    /// <summary>How many queries read a <see cref="CursorSketch"/> of a document still parsing.</summary>
    internal int Sketched => Volatile.Read(ref _sketched);

    private int _grafted;

    /// <summary>How many grafts of a member into a bodyless tree queries made (<see cref="MemberGraft"/>).</summary>
    internal int Grafted => Volatile.Read(ref _grafted);

    /// <summary>The background parse of the document at <paramref name="path"/> in flight, if any (done when none).</summary>
    internal Task BackgroundParse(string path)
    {
        lock (_gate) return _parsing.GetValueOrDefault(NormalizePath(path)).Task ?? Task.CompletedTask;
    }

    /// <summary>
    /// What <see cref="Warm"/> did: members whose symbols it built, statements it bound, the items its queries had,
    /// whether it found a candidate to check.
    /// </summary>
    internal (int Symbols, int Statements, int QueryItems, bool Checked) Warmed { get; private set; }

    /// <summary>
    /// How long the warm-up binds the repository's statements (<see cref="DocumentWarmup.BindStatements"/>). Half a second
    /// more before ready took the public benchmark's first query in a file from p99 46–52 ms to 33–42 ms (2 cores);
    /// a whole second gained little more.
    /// </summary>
    private static readonly TimeSpan StatementBindingBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Pays before the index reports ready for what the first queries after start would otherwise wait: for whole trees
    /// the symbols of the repository's declarations (<see cref="DocumentWarmup.BuildSymbols"/>; bodyless trees are a
    /// repository too large to hold them all), Roslyn's binder and the framework types the repository's statements
    /// name (<see cref="DocumentWarmup.BindStatements"/>), then the JIT of context queries and of a compiler check
    /// (<see cref="DocumentWarmup.QueryShapes"/>, <see cref="DocumentWarmup.CheckOnce"/>); in a bodyless repository the
    /// last three on <see cref="DocumentWarmup.Sample"/>. Each step only saves time: one that fails is logged and skipped.
    /// </summary>
    private void Warm(CancellationToken token)
    {
        var repository = _snapshot;
        // A bodyless repository has no whole trees to bind and type into, and typing into one of its documents parsed
        // whole compiles the repository anew (seconds on mono: two queries for each shape of cursor made its ready 25 s
        // later): the statements, queries and check run on two sample documents instead.
        var snapshot = _bodyless ? DocumentWarmup.Sample(repository, s_parseOptions) : repository;
        // An edit that no pending edit holds (a new type, a body typed whole) is answered in a compilation that holds the
        // typed tree, as when the client sends one; an edit inside a body or among declarations, beside the compiled tree.
        (WorkspaceSnapshot, SourceDocument) Type(SourceDocument document, string text)
        {
            var typed = Changed(document.Path, text, document, isContextSource: false);
            return (typed.Edit is null ? snapshot.With([(typed.Path, typed)], keepFacts: true) : snapshot, typed);
        }
        int symbols = Step("built the symbols of {0} members", () => _bodyless ? 0 : DocumentWarmup.BuildSymbols(repository.Compilation.Assembly.GlobalNamespace, token));
        int statements = Step("bound {0} statements", () => DocumentWarmup.BindStatements(snapshot, StatementBindingBudget, token));
        int items = Step("asked context queries ({0} items)", () => DocumentWarmup.QueryShapes(snapshot, Type, rounds: 2, CountTokens, Log, token));
        bool checkedOne = Step("checked a candidate ({0})", () => DocumentWarmup.CheckOnce(snapshot, Type, Log, token));
        Warmed = (symbols, statements, items, checkedOne);

        T Step<T>(string done, Func<T> step)
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                var result = step();
                Log($"warm-up: {string.Format(CultureInfo.InvariantCulture, done, result)} in {stopwatch.ElapsedMilliseconds} ms");
                return result;
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
            {
                Log($"warm-up failed, {string.Format(CultureInfo.InvariantCulture, done, "-")}: {exception}");
                return default!;
            }
        }
    }

    private CancellationTokenSource _warming = new();
    private volatile string? _warmingPath;

    /// <summary>The warm-up of the last document opened (how many types it rendered; 0 when stopped) and what stops it.</summary>
    internal (Task<int> Task, CancellationToken Token) Warmup { get; private set; } = (Task.FromResult(0), CancellationToken.None);

    /// <summary>Stops the warm-up in flight, its work now stale, and warms <paramref name="opened"/>. Called under <c>_gate</c>.</summary>
    private void RestartWarmup(SourceDocument? opened)
    {
        // Not disposed: Roslyn may still hold the token of the warm-up it cancels; without a timer nothing leaks.
        _warming.Cancel();
        _warming = new CancellationTokenSource();
        if (opened?.CompiledTree is null || _disposed.IsCancellationRequested) return;
        var snapshot = _snapshot;
        var token = _warming.Token;
        _warmingPath = opened.Path;
        var task = Task.Run(() =>
        {
            try
            {
                var stopwatch = Stopwatch.StartNew();
                int types = DocumentWarmup.Run(snapshot, opened, token);
                Log($"warmed {opened.Path} in {stopwatch.ElapsedMilliseconds} ms: {types} types rendered");
                return types;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Only time is lost: the query builds what it needs itself.
                Log($"warming {opened.Path} failed: {exception}");
                return 0;
            }
        }, CancellationToken.None);
        Warmup = (task, token);
    }

    /// <summary>The client closed a document: it goes back to its disk text, or away if the disk has none.</summary>
    public void Close(string path)
    {
        path = NormalizePath(path);
        lock (_gate)
        {
            if (_parsing.Remove(path, out var parse)) parse.Cancel.Cancel();
            if (_lastView?.Source.Path == path) _lastView = null;
            if (!_snapshot.Documents.TryGetValue(path, out var old) || !old.IsOpen) return;
            var document = _files.Refusal(path) is null ? LoadFromDisk(path, old) : null;
            // Ranking facts tolerate an open document's edits; only a context source appearing or going makes them stale.
            _snapshot = _snapshot.With([(path, document)], keepFacts: document is not null || !old.IsContextSource);
            RestartWarmup(null);
        }
    }

    /// <summary>Files were created, changed or deleted on disk. Open documents keep the client's text.</summary>
    public void FilesChanged(IEnumerable<string> paths)
    {
        var changes = new List<(string, SourceDocument?)>();
        foreach (var path in paths.Select(NormalizePath).Distinct(StringComparer.Ordinal))
        {
            _files.Forget(path);
            if (_snapshot.Documents.TryGetValue(path, out var existing) && existing.IsOpen) continue;
            changes.Add((path, _files.Refusal(path) is null ? LoadFromDisk(path, existing) : null));
        }
        if (changes.Count == 0) return;
        lock (_gate)
        {
            changes.RemoveAll(c => _snapshot.Documents.TryGetValue(c.Item1, out var current) && current.IsOpen);
            changes.RemoveAll(c => c.Item2 is null && !_snapshot.Documents.ContainsKey(c.Item1));
            if (changes.Count == 0) return;
            _snapshot = _snapshot.With(changes, keepFacts: false);
        }
        // Rebuild the facts off the request path (a save reaches us as a file change).
        _ = Task.Run(_snapshot.Facts.Complete);
    }

    /// <summary>
    /// Context for the cursor at 0-based <paramref name="line"/> and UTF-16 <paramref name="character"/> (clamped
    /// to the document), packed into <paramref name="budgetTokens"/> as counted by <see cref="CountTokens"/>.
    /// </summary>
    /// <exception cref="ContextException">The document is neither open nor a readable file of the workspace.</exception>
    public ContextResult GetContext(string path, int line, int character, int budgetTokens, CancellationToken cancellationToken)
    {
        using var query = new CursorQuery(this);
        var (snapshot, document) = Resolve(path);
        if (budgetTokens <= 0) return new ContextResult([], 0);
        var view = AtCursor(snapshot, document, line, character, cancellationToken);
        return ContextQuery.Run(view.Snapshot, view.Document, view.Text, view.Position, budgetTokens, CountTokens, Log, cancellationToken, view.Graft);
    }

    /// <summary>
    /// What the code at the cursor asks of a completion (see <see cref="CompletionSite"/>), for the document's current
    /// text; the same documents answer as for <see cref="GetContext"/>. Roslyn failing on the text costs the names only.
    /// </summary>
    /// <exception cref="ContextException">The document is neither open nor a readable file of the workspace.</exception>
    public CompletionSite AnalyzeCompletionSite(string path, int line, int character, CancellationToken cancellationToken)
    {
        using var query = new CursorQuery(this);
        var (snapshot, document) = Resolve(path);
        var view = AtCursor(snapshot, document, line, character, cancellationToken);
        return CompletionSite.Analyze(view.Snapshot, view.Document, view.Text, view.Position, view.ClientText, Log, cancellationToken);
    }

    /// <summary>
    /// Checks each text as inserted at the cursor of the document's current text: the diagnostics it introduces, and a
    /// repaired text where it names a member or type that does not exist and a close accessible name does (see
    /// <see cref="InsertionCheck"/>). Documents other than C# have no diagnostics.
    /// </summary>
    /// <exception cref="ContextException">The document is neither open nor a readable file of the workspace.</exception>
    public IReadOnlyList<InsertionCheck> CheckInsertions(string path, int line, int character, IReadOnlyList<string> insertions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(insertions);
        using var query = new CursorQuery(this);
        var (snapshot, document) = Resolve(path);
        var view = AtCursor(snapshot, document, line, character, cancellationToken);
        var checks = CodeCheck.Run(view.Snapshot, view.Document, view.Text, view.Position, insertions, Log, cancellationToken);
        return view.LineShift == 0 ? checks : checks.Select(check => check.WithLinesShifted(view.LineShift)).ToArray();
    }

    // Set while no query at a cursor runs: the background parse reads its text only then (YieldingText).
    private readonly ManualResetEventSlim _noQuery = new(initialState: true);
    private readonly object _queryGate = new();
    private int _queries;

    /// <summary>A query at a cursor running, from its start to its dispose.</summary>
    private readonly struct CursorQuery : IDisposable
    {
        private readonly ContextEngine _engine;

        public CursorQuery(ContextEngine engine)
        {
            _engine = engine;
            lock (engine._queryGate)
            {
                if (engine._queries++ == 0) engine._noQuery.Reset();
            }
        }

        public void Dispose()
        {
            lock (_engine._queryGate)
            {
                if (--_engine._queries == 0) _engine._noQuery.Set();
            }
        }
    }

    /// <summary>
    /// The snapshot and document a query at <paramref name="path"/> reads. A document not indexed yet, never opened, or
    /// indexed without its bodies is read whole for this query only, without publishing.
    /// </summary>
    private (WorkspaceSnapshot Snapshot, SourceDocument Document) Resolve(string path)
    {
        path = NormalizePath(path);
        // The warm-up is for a query that has not come yet: this one builds what it needs and should not share the cores.
        if (_warmingPath == path) _warming.Cancel();
        var snapshot = _snapshot;
        if (!snapshot.Documents.TryGetValue(path, out var document) || !document.HasWholeTree && !document.IsParsing && WorkspaceFiles.IsCSharp(path))
        {
            if (document is null && !_files.IsInWorkspace(path)) throw new ContextException($"{path} is outside the workspace folders and was not opened.");
            var (text, refusal) = WorkspaceFiles.Read(path);
            if (text is null) throw new ContextException($"{path} cannot be read: {refusal}.");
            document = CreateDocument(path, text, null, isOpen: false, isContextSource: document?.IsContextSource ?? false);
            snapshot = snapshot.With([(path, document)], keepFacts: true);
        }
        return (snapshot, document);
    }

    /// <summary>
    /// What a query at a cursor reads: a snapshot, a document in it, its text and the cursor's position there, and what to
    /// add to a line of that text to find it in the client's; the <see cref="MemberGraft"/> the document is, if it is one;
    /// and the client's text, which a graft or a sketch shows only around the cursor.
    /// </summary>
    private readonly record struct CursorView(WorkspaceSnapshot Snapshot, SourceDocument Document, SourceText Text, int Position, MemberGraft? Graft,
        SourceText ClientText)
    {
        public int LineShift => Graft?.LineShift ?? 0;
    }

    /// <summary>
    /// The document at the 0-based line and UTF-16 character, clamped to its text. A document compiled as the file's
    /// bodyless tree has the member at the cursor grafted into that tree (<see cref="MemberGraft"/>), or where the cursor
    /// is in no body, its text compiled for this query only. A document still parsing is sketched around the cursor
    /// (<see cref="CursorSketch"/>) and compiled so for this query only: the sketch is its text here, the same as the
    /// document's near the cursor and at the same offsets. The view's compilation has its assembly's attributes bound
    /// (<see cref="WorkspaceSnapshot.BindAssemblyAttributes"/>) before the request binds in it.
    /// </summary>
    private CursorView AtCursor(WorkspaceSnapshot snapshot, SourceDocument document, int line, int character, CancellationToken cancellationToken)
    {
        var view = ViewAt(snapshot, document, line, character, cancellationToken);
        view.Snapshot.BindAssemblyAttributes();
        return view;
    }

    private CursorView ViewAt(WorkspaceSnapshot snapshot, SourceDocument document, int line, int character, CancellationToken cancellationToken)
    {
        var (text, position) = TextAndPosition(document, line, character);
        if (!document.IsParsing && document.CompiledBodyless is null) return new CursorView(snapshot, document, text, position, null, text);
        if (document.IsParsing) Interlocked.Increment(ref _sketched);
        int cursorLine = text.Lines.GetLineFromPosition(position).LineNumber;
        if (_lastView is { } last && last.Source == document && last.Base == snapshot && last.Line == cursorLine && last.Covers.Contains(position))
            return last.At with { Position = position + last.Shift };

        View made;
        if (!document.IsParsing && MemberGraft.Create(document, text, position, cancellationToken) is { } graft)
        {
            Interlocked.Increment(ref _grafted);
            made = new View(document, snapshot, cursorLine, BodyEdit.BodySpan(graft.Member), graft.Shift,
                new CursorView(snapshot, graft.Document, graft.Text, position + graft.Shift, graft, text));
        }
        else
        {
            var tree = document.Tree ?? CSharpSyntaxTree.ParseText(CursorSketch.Create(text.ToString(), position) is { } sketch ? SourceText.From(sketch) : text,
                s_parseOptions, document.Path, cancellationToken: cancellationToken);
            var treeText = tree.GetText(cancellationToken);
            var compiled = SourceDocument.CompiledForQuery(document, treeText, tree);
            made = new View(document, snapshot, cursorLine, new TextSpan(0, text.Length + 1), 0,
                new CursorView(snapshot.With([(document.Path, compiled)], keepFacts: true), compiled, treeText, position, null, text));
        }
        _lastView = made;
        return made.At;
    }

    /// <summary>
    /// The last view made other than the document itself, and what for: the next query on the same line of the same text
    /// (the completion's site, its context, its check; an invoked request after an automatic one) reads it again, with
    /// the bindings of its compilation, when its cursor is in <see cref="Covers"/> (a graft's body).
    /// </summary>
    private sealed record View(SourceDocument Source, WorkspaceSnapshot Base, int Line, TextSpan Covers, int Shift, CursorView At);

    private volatile View? _lastView;

    /// <summary>The document's text and the position of the 0-based line and UTF-16 character in it, as LSP counts them, clamped to the text.</summary>
    private static (SourceText Text, int Position) TextAndPosition(SourceDocument document, int line, int character)
    {
        var text = document.ReadText() ?? throw new ContextException($"{document.Path} can no longer be read.");
        return (text, LspPosition.Offset(text, line, character));
    }

    public void Dispose()
    {
        lock (_gate) _warming.Cancel();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>
    /// A file the caller already found eligible, read from disk; null (logged) when it cannot be used. A summary
    /// cached for the same stamp is used instead of making one again.
    /// </summary>
    private SourceDocument? LoadFromDisk(string path, SourceDocument? old = null, CachedSummary? cached = null)
    {
        // Stamp before reading: a write in between leaves a stamp older than the text, which only costs a re-read.
        var stamp = FileStamp.Of(path);
        // Closing a document of a bodyless repository: nothing on disk changed since it was opened, nothing to read.
        if (old?.IndexedFile is { } indexed && stamp is { } unchanged && indexed.Stamp == unchanged) return indexed;
        var (text, refusal) = WorkspaceFiles.Read(path);
        if (text is null || stamp is not { } known)
        {
            Log($"skipped {path}: {refusal ?? "file does not exist"}");
            if (text is null && refusal != "file does not exist") Interlocked.Increment(ref _filesSkipped);
            return null;
        }
        var summary = cached is not null && cached.Stamp == known ? cached.Summary : null;
        if (!WorkspaceFiles.IsCSharp(path)) return SourceDocument.Indexed(path, summary ?? FileSummary.Of(text, null), known);
        if (old?.CompiledTreeWithText(text) is { } compiled) return SourceDocument.Indexed(path, FileSummary.Of(text, compiled), known, compiled);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(text), s_parseOptions, path);
        summary ??= FileSummary.Of(text, tree);
        if (_bodyless)
        {
            var bodyless = BodylessTree.Create(tree, CancellationToken.None);
            // A document closed after edits inside bodies only is compiled as a bodyless tree of this very text: keep that
            // tree, and the compilation with everything it has bound, rather than replace it by an equal one.
            if (old?.CompiledTree is { } held && held != old.Tree && held.GetText().ContentEquals(bodyless.Tree.GetText())) bodyless = bodyless.On(held);
            return SourceDocument.Indexed(path, summary, known, bodyless);
        }
        // The tree keeps its green nodes and drops the text, which it can rebuild when asked.
        return SourceDocument.Indexed(path, summary, known, CSharpSyntaxTree.Create((CSharpSyntaxNode)tree.GetRoot(), s_parseOptions, path));
    }

    /// <summary>
    /// The open document with the client's text: an edit inside a body or inside a type's member list keeps the compiled
    /// tree and binds speculatively (<see cref="PendingEdit"/>), and a text declaring what the file as indexed without
    /// bodies does keeps that tree (<see cref="MemberGraft"/>).
    /// </summary>
    private static SourceDocument Changed(string path, string text, SourceDocument? old, bool isContextSource)
    {
        var document = CreateDocument(path, text, old, isOpen: true, isContextSource);
        // Against the last tree an edit is reparsed from, equal nodes are shared: only what changed is compared.
        if (BodylessSource(old) is { } indexed) return document.StandingIn(indexed, declaredAs: old!.Tree!);
        if (old?.CompiledTree is { } compiled && document.Tree is { } edited && PendingEdit.Find(compiled, edited, CancellationToken.None) is { } edit)
            return document.WithCompiledTree(old, edit);
        return old?.IndexedFile is { } kept ? document.Replacing(kept) : document;
    }

    /// <summary>
    /// The file as indexed whose bodyless tree the compilation holds for <paramref name="old"/>, which a new text of it may
    /// keep: the file itself when it was not open, else what the open document kept. Null in a repository of whole trees.
    /// </summary>
    private static SourceDocument? BodylessSource(SourceDocument? old) =>
        old?.CompiledBodyless ?? (old is { IsOpen: false, Tree: not null, HasWholeTree: false } ? old : null);

    /// <summary>A text the client sent (or a file read for one query), reparsed incrementally from the document it replaces.</summary>
    private static SourceDocument CreateDocument(string path, string text, SourceDocument? old, bool isOpen, bool isContextSource)
    {
        if (!WorkspaceFiles.IsCSharp(path)) return SourceDocument.FromText(path, SourceText.From(text), null, isOpen, isContextSource);
        if (old?.CompiledTreeWithText(text) is { } compiled) return SourceDocument.FromText(path, compiled.GetText(), compiled, isOpen, isContextSource);
        // Reparse only what the edit touched: typing one character costs microseconds, not a full parse.
        var tree = old is { HasWholeTree: true, Tree: { } oldTree }
            ? oldTree.WithChangedText(new EditedText(text, oldTree.GetText()))
            : CSharpSyntaxTree.ParseText(SourceText.From(text), s_parseOptions, path);
        return SourceDocument.FromText(path, tree.GetText(), tree, isOpen, isContextSource);
    }

    private static string NormalizePath(string path)
    {
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) path = new Uri(path).LocalPath;
        if (!Path.IsPathFullyQualified(path)) throw new ContextException($"{path} is not an absolute path.");
        return WorkspaceFiles.Normalize(path);
    }

    private void Log(string message) => _options.Log?.Invoke(message);

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        // The running runtime's assemblies stand in for reference assemblies: no NuGet restore needed.
        string directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (!(name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
                || name is "mscorlib.dll" or "netstandard.dll")) continue;
            if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)) continue;
            try
            {
                using var stream = File.OpenRead(file);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (!pe.HasMetadata) continue;
            }
            catch (BadImageFormatException) { continue; }
            references.Add(MetadataReference.CreateFromFile(file));
        }
        return references.ToImmutable();
    }
}
