using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CodeAssist.Context;
using CodeAssist.Features.Completion.Postprocessing;
using CodeAssist.Models;

namespace CodeAssist.Features.Completion;

/// <summary>
/// Inline completion: from a cursor to suggestions, and everything that keeps it fast. Context from the context engine →
/// a repository-level FIM prompt laid out for KV-cache reuse (<see cref="CompletionPrompt"/>) → generation, stopped as soon
/// as post-processing knows the end (<see cref="Postprocessor"/>) → suggestions.
/// </summary>
/// <remarks>
/// <para>Latency. The model runs one generation at a time, so only the newest request may use it: a request cancels the
/// one before it at once (that one answers an empty list) and any background work. While the user types, a request waits
/// a little longer than the user's recent gaps between keystrokes before generating (<see cref="TypingRate"/>), and
/// meanwhile evaluates its prompt (warming the KV cache, no tokens generated), so a pause starts generating from a warm
/// cache and a keystroke in between costs no generation. Suggestions are cached per document and cursor text
/// (<see cref="SuggestionCache"/>): typing through one, or backspacing to where one was made, answers without the model.
/// When the editor shows a suggestion, the next one is generated in the background as if it were accepted.</para>
/// <para>Threading. Requests run concurrently (they are reads); <see cref="_gate"/> orders who is the newest request and
/// which background work runs. Nothing holds a lock across an await.</para>
/// </remarks>
public sealed class CompletionService
{
    private const int CandidatesWhenInvoked = 3;
    private const int RememberedRequests = 16;

    private readonly Action<string> _log;
    private readonly CompletionStatistics _statistics = new();
    private readonly TypingRate _typing = new();
    private readonly SuggestionCache _cache = new();
    private readonly OverheadSamples _overhead = new();
    private readonly ConcurrentDictionary<string, CompletionPrompt> _prompts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ShownCandidate> _candidates = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<long> _rememberedRequests = new();
    private readonly object _gate = new();
    private long _requestCount;
    private ActiveRequest? _active;          // guarded by _gate
    private long _newestSequence;            // guarded by _gate
    private CancellationTokenSource? _background;   // guarded by _gate
    private readonly List<Warming> _warmings = [];   // guarded by _gate
    private string? _lastModelError;
    private Task _backgroundWork = Task.CompletedTask;
    private string[] _lastGenerated = [];

    public CompletionService(Action<string> log) => _log = log;

    public CompletionCounts Counts => _statistics.Snapshot();

    /// <summary>Server time per request that reached the model, excluding the debounce and the model calls (ms).</summary>
    public (double P50, double P99, int Samples) Overhead => _overhead.Percentiles();

    /// <summary>An edit of the document arrived (measures the typing rate).</summary>
    public void Edited(string documentKey) => _typing.Edited(documentKey);

    /// <summary>The editor closed the document: its cached suggestions and prompt layout go.</summary>
    public void Closed(string documentKey)
    {
        _typing.Forget(documentKey);
        _cache.Forget(documentKey);
        _prompts.TryRemove(documentKey, out _);
    }

    /// <summary>
    /// Suggestions for <paramref name="query"/>. Empty at once when completion is off for the language or there is no
    /// model; empty (not an error) when a newer request supersedes this one. <paramref name="engine"/> gives cross-file
    /// context and is null for buffers that are not workspace files.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<CompletionAnswer> CompleteAsync(
        CompletionQuery query, CompletionOptions options, ICodeModel? model, ContextEngine? engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        _statistics.Request();
        if (!options.IsEnabledFor(query.LanguageId))
        {
            return CompletionAnswer.Empty(AnswerKind.Disabled);
        }
        if (model is null)
        {
            return CompletionAnswer.Empty(AnswerKind.Unavailable);
        }
        var request = Begin(query.Sequence, cancellationToken);
        try
        {
            return await RunAsync(request, query, options, model, engine).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (request.Source.IsCancellationRequested)
        {
            _statistics.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return CompletionAnswer.Empty(AnswerKind.Cancelled);
        }
        finally
        {
            End(request);
        }
    }

    /// <summary>The editor shows the suggestion: count it, and generate the next one as if it were accepted.</summary>
    public void Shown(string completionId)
    {
        _statistics.Show();
        if (!_candidates.TryGetValue(completionId, out var candidate))
        {
            return;
        }
        CancellationTokenSource speculation;
        lock (_gate)
        {
            if (_active is not null)
            {
                return; // a request is running: it has the model
            }
            _background?.Cancel();
            _background = speculation = new CancellationTokenSource();
            _warmings.ForEach(warming => warming.Source.Cancel());
        }
        _backgroundWork = Task.Run(() => SpeculateAsync(candidate, speculation.Token), CancellationToken.None);
    }

    internal TestAccessor GetTestAccessor() => new(this);

    /// <summary>What tests look at inside: the speculation <see cref="Shown"/> started last, and the last request's candidates
    /// as post-processing left them, before the compiler's check.</summary>
    internal readonly struct TestAccessor(CompletionService service)
    {
        public Task BackgroundWork => service._backgroundWork;
        public IReadOnlyList<string> LastGenerated => service._lastGenerated;
    }

    /// <summary>The user accepted the whole suggestion.</summary>
    public void Accepted(string completionId)
    {
        if (_candidates.TryGetValue(completionId, out var candidate))
        {
            _statistics.Accept(candidate.Accept(candidate.InsertText.Length));
        }
        else
        {
            _statistics.Accept(0);
        }
    }

    /// <summary>The user accepted the first <paramref name="acceptedLength"/> UTF-16 code units of the suggestion's text.</summary>
    public void PartiallyAccepted(string completionId, int acceptedLength)
    {
        var added = _candidates.TryGetValue(completionId, out var candidate) ? candidate.Accept(acceptedLength) : 0;
        _statistics.AcceptPartially(added);
    }

    private async Task<CompletionAnswer> RunAsync(ActiveRequest request, CompletionQuery query, CompletionOptions options, ICodeModel model, ContextEngine? engine)
    {
        var token = request.Source.Token;
        token.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var document = EffectiveDocument.Of(query);
        var point = InsertionPoint.At(document.Text, document.Cursor,
            InsertionPoint.MultiLineByIndentation(document.Text[LineStart(document.Text, document.Cursor)..document.Cursor], LineRest(document.Text, document.Cursor)),
            InsertionPoint.IndentUnitOf(document.Text));
        if (_cache.Find(query.DocumentKey, document.Text, document.Cursor) is { } cached)
        {
            _statistics.AnswerFromCache();
            var fromCache = Suggestions(request.Number, query, document, cached);
            Remember(request.Number, fromCache, query, document, cached, new PromptBasis(model, FilePrompt(query), point.IndentUnit, options));
            return new CompletionAnswer(fromCache, AnswerKind.Cache);
        }

        var siteStarted = Stopwatch.GetTimestamp();
        var site = Site(query, engine, token);
        var siteTime = Stopwatch.GetElapsedTime(siteStarted);
        if (site is { Place: SitePlace.Comment or SitePlace.Preprocessor })
        {
            return CompletionAnswer.Empty(AnswerKind.Nothing);
        }
        if (site is not null)
        {
            point = InsertionPoint.At(document.Text, document.Cursor, site.IsMultiLine, site.IndentUnit) with { LineBreak = site.NewLine };
        }
        var budgets = CompletionPrompt.Budgets(model.Description.ContextSize, options);
        var contextStarted = Stopwatch.GetTimestamp();
        var items = Context(query, engine, budgets.Context, token);
        var contextTime = Stopwatch.GetElapsedTime(contextStarted);
        var fim = Prompt(query, items, model.Description.ContextSize, options, model.CountTokens);

        // After expr. or new, the first identifier comes from what exists there (the widget's selection has chosen it already).
        var firstIdentifier = site?.Names is { } names && document.Selected is null ? new IdentifierChoice(names.TypedPrefix, names.Names) : null;
        var generation = new Generation(this, model, fim, point, options, query.DocumentKey) { FirstIdentifier = firstIdentifier };
        Warm(model, query.DocumentKey, fim, start: !query.Invoked);
        if (!query.Invoked)
        {
            var wait = _typing.WaitBeforeGenerating(query.DocumentKey, options.DebounceMs is { } fixedMs ? TimeSpan.FromMilliseconds(fixedMs) : null);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, token).ConfigureAwait(false);
                generation.Debounce = wait;
            }
        }

        var candidates = new List<ProcessedCompletion>();
        var attempts = query.Invoked ? CandidatesWhenInvoked : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var sampling = attempt == 0 ? SamplingOptions.Greedy : new SamplingOptions { Temperature = 0.7f, Seed = (uint)attempt };
            if (await generation.RunAsync(sampling, token).ConfigureAwait(false) is { } candidate
                && !candidates.Any(c => c.Text == candidate.Text))
            {
                candidates.Add(candidate);
            }
            if (generation.Failed)
            {
                break;
            }
        }
        _lastGenerated = candidates.Select(c => c.Text).ToArray();
        var checkStarted = Stopwatch.GetTimestamp();
        var (ranked, heldBack) = Check(query, document, engine, site, candidates, token);
        var checkTime = Stopwatch.GetElapsedTime(checkStarted);
        var overhead = Stopwatch.GetElapsedTime(started) - generation.Debounce - generation.ModelTime;
        _overhead.Add(overhead);
        _log(string.Create(CultureInfo.InvariantCulture,
            $"completion {request.Number}: {candidates.Count} candidates, {ranked.Count} shown; overhead {overhead.TotalMilliseconds:0.0} ms (site {siteTime.TotalMilliseconds:0.0}, context {contextTime.TotalMilliseconds:0.0}, check {checkTime.TotalMilliseconds:0.0}), waited {generation.Debounce.TotalMilliseconds:0} ms, model {generation.ModelTime.TotalMilliseconds:0} ms{Described(generation.LastUsage)}; {fim.Describe()}"));
        if (ranked.Count == 0)
        {
            return CompletionAnswer.Empty(AnswerKind.Nothing) with
            {
                HeldBack = heldBack.Select(c => new HeldBackCandidate(c.Completion.Text, c.Diagnostics, c.Unparsable)).ToArray(),
            };
        }
        var shown = ranked.Select(c => c.Completion).ToArray();
        _cache.Store(query.DocumentKey, document.Text, document.Cursor, shown);
        var suggestions = Suggestions(request.Number, query, document, shown, ranked.Select(c => c.Diagnostics).ToArray());
        Remember(request.Number, suggestions, query, document, shown, new PromptBasis(model, fim, point.IndentUnit, options));
        return new CompletionAnswer(suggestions, AnswerKind.Model);
    }

    /// <summary>
    /// The FIM prompt for <paramref name="query"/> given the context engine's <paramref name="items"/>, laid out with the
    /// document's stable parts (<see cref="CompletionPrompt"/>) for a window of <paramref name="contextSize"/> tokens.
    /// </summary>
    internal FimPrompt Prompt(CompletionQuery query, IReadOnlyList<ContextItem> items, int contextSize, CompletionOptions options, Func<string, int> countTokens)
    {
        var document = EffectiveDocument.Of(query);
        var budgets = CompletionPrompt.Budgets(contextSize, options);
        var layout = _prompts.GetOrAdd(query.DocumentKey, _ => new CompletionPrompt());
        var inWord = document.Cursor > 0 && (char.IsLetterOrDigit(document.Text[document.Cursor - 1]) || document.Text[document.Cursor - 1] == '_');
        var snippets = layout.Snippets.Update(items, inWord, budgets.Context, countTokens, path => PromptPath(query, path), out var change);
        if (change is "appended" or "started over")
        {
            // Everything after the snippets is evaluated again: worth knowing when latency is in question.
            _log($"completion: the snippets of {query.DocumentKey} {change} ({snippets.Count} items)");
        }
        var (prefix, suffix) = layout.Window(document.Text, document.Cursor, budgets.Prefix, budgets.Suffix, layout.Snippets.Tokens);
        return FilePrompt(query) with { Prefix = prefix, Suffix = suffix, Snippets = snippets };
    }

    /// <summary>The prompt's fields that name the file: its path in the repository, its language, the repository's name.</summary>
    private static FimPrompt FilePrompt(CompletionQuery query) => new()
    {
        Prefix = "",
        FilePath = PromptPath(query, query.Path ?? query.DocumentKey),
        Language = query.LanguageId,
        RepositoryName = query.WorkspaceFolder is { } folder ? Path.GetFileName(folder.TrimEnd('/', '\\')) : null,
    };

    /// <summary>One model call for a prompt at a point, counted, timed and post-processed as it streams.</summary>
    private sealed class Generation(CompletionService service, ICodeModel model, FimPrompt fim, InsertionPoint point, CompletionOptions options, string cacheKey)
    {
        public TimeSpan Debounce { get; set; }
        public TimeSpan ModelTime { get; private set; }
        /// <summary>The last model call's prompt and generation figures, for the debug log.</summary>
        public Usage? LastUsage { get; private set; }
        public bool Failed { get; private set; }
        public IdentifierChoice? FirstIdentifier { get; init; }

        public async Task<ProcessedCompletion?> RunAsync(SamplingOptions sampling, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            service._statistics.StartGeneration();
            var text = new StringBuilder();
            Usage? usage = null;
            try
            {
                var request = new CompletionRequest { Fim = fim, MaxTokens = options.MaxTokens, Sampling = sampling, CacheKey = cacheKey, FirstIdentifier = FirstIdentifier };
                await foreach (var chunk in model.CompleteAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    text.Append(chunk.Text);
                    usage = chunk.Usage;
                    if (!chunk.IsFinal && Postprocessor.IsFinished(text.ToString(), point))
                    {
                        break;
                    }
                }
            }
            catch (Exception exception) when (exception is ModelException or ObjectDisposedException)
            {
                // The model cannot serve this prompt (too long for its window, a remote server down) or was replaced meanwhile.
                service.ReportModelError(exception.Message);
                Failed = true;
                return null;
            }
            finally
            {
                ModelTime += Stopwatch.GetElapsedTime(started);
            }
            service._statistics.FinishGeneration();
            LastUsage = usage;
            if (usage is not null)
            {
                service._statistics.Prompt(usage.PromptTokens, usage.ReusedPromptTokens);
            }
            return Postprocessor.Process(text.ToString(), point);
        }
    }

    /// <summary>
    /// Keeps the KV cache current with the prompt's stable part — the snippets and the file up to the cursor, the part
    /// every later prompt of the document starts with — while the user types: evaluated without generating, it costs a
    /// few tokens per keystroke, and the generation after a pause is left with only the suffix. A warming that the new
    /// prompt extends keeps running (its work is the new request's first step) and no other starts beside it; any other
    /// is cancelled, so it never holds the model for a request that does not need it. Only for a model in process: a remote server's cache is its
    /// own affair.
    /// </summary>
    private void Warm(ICodeModel model, string documentKey, FimPrompt fim, bool start)
    {
        var stable = fim with { Suffix = "" };
        Warming? started = null;
        lock (_gate)
        {
            var extended = false;
            foreach (var running in _warmings)
            {
                if (running.ExtendedBy(documentKey, stable))
                {
                    extended = true;
                }
                else
                {
                    running.Source.Cancel();
                }
            }
            // One warming at a time: while one runs, keystrokes queue no more behind it (the next request after it catches up).
            if (start && !extended && model is LlamaCodeModel)
            {
                started = new Warming(documentKey, stable, new CancellationTokenSource());
                _warmings.Add(started);
            }
        }
        if (started is null)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            var warmingStarted = Stopwatch.GetTimestamp();
            try
            {
                var request = new CompletionRequest { Fim = started.Prompt, MaxTokens = 0, CacheKey = documentKey };
                await foreach (var chunk in model.CompleteAsync(request, started.Source.Token).ConfigureAwait(false))
                {
                    if (chunk.IsFinal)
                    {
                        _statistics.Prompt(chunk.Usage.PromptTokens, chunk.Usage.ReusedPromptTokens);
                        _log($"warming {documentKey}:{Described(chunk.Usage)}");
                    }
                }
            }
            catch (OperationCanceledException) when (started.Source.IsCancellationRequested)
            {
                _log(string.Create(CultureInfo.InvariantCulture, $"warming {documentKey}: cancelled after {Stopwatch.GetElapsedTime(warmingStarted).TotalMilliseconds:0} ms"));
            }
            catch (Exception exception) when (exception is ModelException or ObjectDisposedException)
            {
                ReportModelError(exception.Message);
            }
            finally
            {
                lock (_gate)
                {
                    _warmings.Remove(started);
                    started.Source.Dispose();
                }
            }
        }, CancellationToken.None);
    }

    private static string Described(Usage? usage) => usage is null ? "" : $" ({usage.Describe()})";

    /// <summary>A warming in flight: the document, the stable prompt it evaluates, and what cancels it.</summary>
    private sealed record Warming(string DocumentKey, FimPrompt Prompt, CancellationTokenSource Source)
    {
        /// <summary>Whether <paramref name="stable"/> starts with this warming's prompt: the same document and snippets, the prefix typed on.</summary>
        public bool ExtendedBy(string documentKey, FimPrompt stable) =>
            documentKey == DocumentKey && stable.FilePath == Prompt.FilePath && stable.RepositoryName == Prompt.RepositoryName
            && stable.Snippets.SequenceEqual(Prompt.Snippets) && stable.Prefix.StartsWith(Prompt.Prefix, StringComparison.Ordinal);
    }

    private async Task SpeculateAsync(ShownCandidate candidate, CancellationToken cancellationToken)
    {
        var accepted = candidate.Document;
        var text = string.Concat(accepted.Text.AsSpan(0, accepted.Cursor), candidate.Completion.Text, accepted.Text.AsSpan(accepted.Cursor + candidate.Completion.Retyped));
        var cursor = accepted.Cursor + candidate.Completion.Text.Length;
        if (_cache.Find(candidate.DocumentKey, text, cursor) is not null)
        {
            return;
        }
        var basis = candidate.Basis;
        var layout = _prompts.GetOrAdd(candidate.DocumentKey, _ => new CompletionPrompt());
        var budgets = CompletionPrompt.Budgets(basis.Model.Description.ContextSize, basis.Options);
        var (prefix, suffix) = layout.Window(text, cursor, budgets.Prefix, budgets.Suffix, layout.Snippets.Tokens);
        var point = InsertionPoint.At(text, cursor, InsertionPoint.MultiLineByIndentation(text[LineStart(text, cursor)..cursor], LineRest(text, cursor)), basis.IndentUnit);
        var fim = basis.File with { Prefix = prefix, Suffix = suffix, Snippets = layout.Snippets.Current };
        var generation = new Generation(this, basis.Model, fim, point, basis.Options, candidate.DocumentKey);
        try
        {
            if (await generation.RunAsync(SamplingOptions.Greedy, cancellationToken).ConfigureAwait(false) is { } next)
            {
                _cache.Store(candidate.DocumentKey, text, cursor, [next]);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What the code at the cursor asks for, from the context engine; null for buffers it does not know (the lexical guesses stand).</summary>
    private CompletionSite? Site(CompletionQuery query, ContextEngine? engine, CancellationToken cancellationToken)
    {
        if (engine is null || query.Path is null)
        {
            return null;
        }
        try
        {
            return engine.AnalyzeCompletionSite(query.Path, query.Line, query.Character, cancellationToken);
        }
        catch (ContextException exception)
        {
            _log($"completion without site analysis for {query.Path}: {exception.Message}");
            return null;
        }
    }

    /// <summary>
    /// C# candidates checked by the compiler and ranked (<see cref="CompilerRanking"/>); other documents' candidates as
    /// they are. The check sees the real document at the cursor, so with the widget's selection applied the selected
    /// text's rest goes in front of each candidate.
    /// </summary>
    /// <returns>The candidates to show, best first, and those the check held back.</returns>
    private (IReadOnlyList<CheckedCompletion> Shown, IReadOnlyList<CheckedCompletion> HeldBack) Check(CompletionQuery query, EffectiveDocument document,
        ContextEngine? engine, CompletionSite? site, IReadOnlyList<ProcessedCompletion> candidates, CancellationToken cancellationToken)
    {
        IReadOnlyList<CheckedCompletion> asGenerated = candidates.Select(c => new CheckedCompletion(c, [], Repaired: false)).ToArray();
        if (candidates.Count == 0 || engine is null || query.Path is null || site is not { IsCSharp: true })
        {
            return (asGenerated, []);
        }
        var selectedRest = "";
        if (document.Selected is { } selected)
        {
            var typed = query.Text[selected.Start..query.Offset];
            if (selected.End != query.Offset || !selected.Text.StartsWith(typed, StringComparison.Ordinal))
            {
                return (asGenerated, []);
            }
            selectedRest = selected.Text[typed.Length..];
        }
        IReadOnlyList<InsertionCheck> checks;
        try
        {
            checks = engine.CheckInsertions(query.Path, query.Line, query.Character, candidates.Select(c => selectedRest + CompilerRanking.Insertion(c)).ToArray(), cancellationToken);
        }
        catch (ContextException exception)
        {
            _log($"completion without the compiler's check for {query.Path}: {exception.Message}");
            return (asGenerated, []);
        }
        if (selectedRest.Length > 0)
        {
            checks = checks.Select(c => c with { Repair = null }).ToArray(); // a repair would rewrite the widget's selection
        }
        var (ranked, heldBack, rejected, repaired) = CompilerRanking.Rank(candidates, checks);
        _statistics.RejectByCompiler(rejected);
        _statistics.Repair(repaired);
        return (ranked, heldBack);
    }

    private IReadOnlyList<ContextItem> Context(CompletionQuery query, ContextEngine? engine, int budgetTokens, CancellationToken cancellationToken)
    {
        if (engine is null || query.Path is null || budgetTokens <= 0)
        {
            return [];
        }
        try
        {
            return engine.GetContext(query.Path, query.Line, query.Character, budgetTokens, cancellationToken).Items;
        }
        catch (ContextException exception)
        {
            _log($"completion without cross-file context for {query.Path}: {exception.Message}");
            return [];
        }
    }

    private static string PromptPath(CompletionQuery query, string path) =>
        query.WorkspaceFolder is { } folder && Path.IsPathFullyQualified(path) && !Path.GetRelativePath(folder, path).StartsWith("..", StringComparison.Ordinal)
            ? Path.GetRelativePath(folder, path).Replace('\\', '/')
            : path;

    private void ReportModelError(string message)
    {
        // One line per distinct failure: a server that is down would otherwise log on every keystroke.
        if (Interlocked.Exchange(ref _lastModelError, message) != message)
        {
            _log($"completion: the model failed: {message}");
        }
    }

    /// <summary>The suggestions for the client: ranges in the query's text, continuing the word or the widget's selection.</summary>
    private static List<Suggestion> Suggestions(long requestNumber, CompletionQuery query, EffectiveDocument document, IReadOnlyList<ProcessedCompletion> completions,
        IReadOnlyList<IReadOnlyList<CodeDiagnostic>>? diagnostics = null)
    {
        var suggestions = new List<Suggestion>();
        for (var i = 0; i < completions.Count; i++)
        {
            var completion = completions[i];
            int start, end;
            string typed;
            if (document.Selected is { } selected)
            {
                start = selected.Start;
                end = selected.End + completion.Retyped;
                typed = selected.Text;
            }
            else
            {
                start = WordStart(query.Text, query.Offset);
                end = query.Offset + completion.Retyped;
                typed = query.Text[start..query.Offset];
            }
            suggestions.Add(new Suggestion($"c{requestNumber}.{i}", typed + completion.Text, start, end, diagnostics?[i] ?? []));
        }
        return suggestions;
    }

    private void Remember(long requestNumber, IReadOnlyList<Suggestion> suggestions, CompletionQuery query, EffectiveDocument document,
        IReadOnlyList<ProcessedCompletion> completions, PromptBasis basis)
    {
        for (var i = 0; i < suggestions.Count; i++)
        {
            _candidates[suggestions[i].Id] = new ShownCandidate(query.DocumentKey, document, completions[i], suggestions[i].InsertText,
                query.Offset - suggestions[i].Start, basis);
        }
        _rememberedRequests.Enqueue(requestNumber);
        while (_rememberedRequests.Count > RememberedRequests && _rememberedRequests.TryDequeue(out var old))
        {
            for (var i = 0; i < CandidatesWhenInvoked; i++)
            {
                _candidates.TryRemove($"c{old}.{i}", out _);
            }
        }
    }

    private ActiveRequest Begin(long sequence, CancellationToken cancellationToken)
    {
        var request = new ActiveRequest(Interlocked.Increment(ref _requestCount), sequence, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        lock (_gate)
        {
            if (sequence < _newestSequence)
            {
                request.Source.Cancel(); // reached the service after a request the editor sent later
            }
            else
            {
                _newestSequence = sequence;
                _active?.Source.Cancel();
                _active = request;
            }
            _background?.Cancel();
            _background = null;
        }
        return request;
    }

    private void End(ActiveRequest request)
    {
        lock (_gate)
        {
            if (_active == request)
            {
                _active = null;
            }
        }
        request.Source.Dispose();
    }

    private sealed class ActiveRequest(long number, long sequence, CancellationTokenSource source)
    {
        /// <summary>Numbers the request's suggestions.</summary>
        public long Number { get; } = number;
        public long Sequence { get; } = sequence;
        public CancellationTokenSource Source { get; } = source;
    }

    /// <summary>What a speculative prompt is made from besides the text: the model, the file's prompt fields, the document's indentation, the options.</summary>
    private sealed record PromptBasis(ICodeModel Model, FimPrompt File, string IndentUnit, CompletionOptions Options);

    /// <summary>A suggestion given out, kept for the show/accept notifications and speculation.</summary>
    private sealed class ShownCandidate(string documentKey, EffectiveDocument document, ProcessedCompletion completion, string insertText, int typedBefore, PromptBasis basis)
    {
        private int _accepted;

        public string DocumentKey { get; } = documentKey;
        public EffectiveDocument Document { get; } = document;
        public ProcessedCompletion Completion { get; } = completion;
        public string InsertText { get; } = insertText;
        public PromptBasis Basis { get; } = basis;

        /// <summary>Counts acceptance up to <paramref name="length"/> of the insert text; returns the characters newly accepted
        /// (what was typed before the cursor, and what earlier partial acceptances took, is not counted again).</summary>
        public int Accept(int length)
        {
            var upTo = Math.Clamp(length, 0, InsertText.Length) - typedBefore;
            lock (this)
            {
                var added = Math.Max(0, upTo - _accepted);
                _accepted = Math.Max(_accepted, upTo);
                return added;
            }
        }
    }

    /// <summary>The document as the suggestion must continue it: the widget's selection applied, if any.</summary>
    private sealed record EffectiveDocument(string Text, int Cursor, SelectedCompletion? Selected)
    {
        public static EffectiveDocument Of(CompletionQuery query) => query.Selected is { } selected && selected.Start <= query.Offset && query.Offset <= selected.End
            ? new EffectiveDocument(string.Concat(query.Text.AsSpan(0, selected.Start), selected.Text, query.Text.AsSpan(selected.End)), selected.Start + selected.Text.Length, selected)
            : new EffectiveDocument(query.Text, query.Offset, null);
    }

    private static int LineStart(string text, int cursor) => text.AsSpan(0, cursor).LastIndexOfAny('\n', '\r') + 1;

    private static string LineRest(string text, int cursor)
    {
        var end = text.AsSpan(cursor).IndexOfAny('\n', '\r');
        return end < 0 ? text[cursor..] : text.Substring(cursor, end);
    }

    private static int WordStart(string text, int cursor)
    {
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] == '_'))
        {
            start--;
        }
        return start;
    }
}
