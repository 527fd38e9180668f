using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace CodeAssist.Models;

/// <summary>Options of the in-process backend.</summary>
public sealed record LlamaCodeModelOptions
{
    public LlamaContextOptions Context { get; init; } = new();
    public ModelLoadOptions Load { get; init; } = new();
    /// <summary>FIM layout override; null = detected from the GGUF.</summary>
    public FimFamily? FimFamily { get; init; }
}

/// <summary>
/// llama.cpp in process behind <see cref="ICodeModel"/>. One context, several KV-cache sequences (one per cache key,
/// least recently used evicted), and one generation at a time: requests wait on <see cref="_gate"/> and the holder runs
/// its decode loop on the context's own thread, streaming chunks through a channel.
/// </summary>
/// <remarks>
/// Prefix reuse: each sequence remembers the tokens its cells hold. A new prompt keeps the longest common prefix,
/// removes the rest with llama_memory_seq_rm and decodes only the new tail, so typing one character re-evaluates a
/// handful of tokens. <see cref="Usage.ReusedPromptTokens"/> reports how many were kept.
/// </remarks>
public sealed class LlamaCodeModel : ICodeModel
{
    private readonly LlamaModel _model;
    private readonly bool _ownsModel;
    private readonly LlamaContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FimTemplate? _fimTemplate;
    // Made by the first request with a FirstIdentifier (tens of milliseconds for a large vocabulary), then shared.
    private readonly Lazy<TokenTable> _tokenTable;
    // Owned by whoever holds _gate.
    private readonly Sequence[] _sequences;
    private long _useCounter;

    private sealed class Sequence(int id)
    {
        public int Id { get; } = id;
        public string? Key { get; set; }
        public List<int> Tokens { get; } = [];
        public long LastUse { get; set; }
    }

    public LlamaCodeModel(LlamaModel model, LlamaCodeModelOptions? options = null)
        : this(model, options ?? new LlamaCodeModelOptions(), ownsModel: false)
    {
    }

    private LlamaCodeModel(LlamaModel model, LlamaCodeModelOptions options, bool ownsModel)
    {
        _model = model;
        _ownsModel = ownsModel;
        _context = new LlamaContext(model, options.Context);
        _sequences = Enumerable.Range(0, _context.SequenceCount).Select(i => new Sequence(i)).ToArray();
        _fimTemplate = options.FimFamily is { } family ? FimTemplate.For(family) : FimTemplate.Detect(model.Header);
        _tokenTable = new(() => TokenTable.Build(model));
        Description = new ModelDescription(
            model.Name ?? System.IO.Path.GetFileNameWithoutExtension(model.Path), model.Backend.Name, _context.ContextSize, _fimTemplate?.Family.ToString());
    }

    /// <summary>Loads a GGUF and creates the context; the returned model owns both.</summary>
    public static LlamaCodeModel Open(string path, LlamaCodeModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LlamaCodeModelOptions();
        var model = LlamaModel.Load(path, options.Load, cancellationToken);
        try
        {
            return new LlamaCodeModel(model, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public ModelDescription Description { get; }
    public LlamaModel Model => _model;
    public LlamaContext Context => _context;
    public FimTemplate? FimTemplate => _fimTemplate;

    public int CountTokens(string text) => _model.Tokenize(text).Length;

    public IAsyncEnumerable<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Deferred(() => PrepareCompletion(request, cancellationToken));
    }

    public IAsyncEnumerable<CompletionChunk> ChatAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Deferred(() => PrepareChat(request, cancellationToken));
    }

    /// <summary>Builds the prompt only when enumeration starts, so every error (a prompt that cannot fit, an unknown
    /// template) surfaces from the enumeration like the generation errors do.</summary>
    private static async IAsyncEnumerable<CompletionChunk> Deferred(Func<IAsyncEnumerable<CompletionChunk>> start)
    {
        await foreach (var chunk in start().ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private IAsyncEnumerable<CompletionChunk> PrepareCompletion(CompletionRequest request, CancellationToken cancellationToken)
    {
        var stops = request.StopSequences;
        int[] tokens;
        if (request.Fim is { } fim)
        {
            var template = _fimTemplate ?? throw new ModelException($"{_model.Path} has no fill-in-the-middle tokens; choose a FIM family explicitly or use a code model.");
            tokens = BuildFimTokens(fim, request.MaxTokens);
            stops = [.. stops, .. template.StopMarkers];
        }
        else if (request.PromptTokens is { } promptTokens)
        {
            tokens = promptTokens.ToArray();
        }
        else
        {
            tokens = _model.Tokenize(request.Prompt ?? throw new ArgumentException("A completion request needs Prompt, PromptTokens or Fim.", nameof(request)), addSpecial: true);
        }
        return GenerateAsync(tokens, request.CacheKey, request.Sampling, request.MaxTokens, stops, request.Deadline, request.FirstIdentifier, cancellationToken);
    }

    private IAsyncEnumerable<CompletionChunk> PrepareChat(ChatRequest request, CancellationToken cancellationToken)
    {
        var text = _model.ApplyChatTemplate(request.Messages, addAssistant: true, request.Template);
        var tokens = _model.Tokenize(text, addSpecial: true, parseSpecial: true);
        if (tokens.Length > 1 && tokens[0] == _model.Bos && tokens[1] == _model.Bos)
        {
            tokens = tokens[1..]; // the template already wrote the BOS text
        }
        return GenerateAsync(tokens, request.CacheKey, request.Sampling, request.MaxTokens, request.StopSequences, request.Deadline, null, cancellationToken);
    }

    /// <summary>
    /// The tokens <paramref name="fim"/> is evaluated as: fitted to the window (context − max tokens − 1) and tokenized
    /// segment by segment, markers as their special tokens. Callers lay out prompts for KV-cache reuse by these.
    /// </summary>
    public int[] BuildFimTokens(FimPrompt fim, int maxTokens)
    {
        var template = _fimTemplate ?? throw new ModelException($"{_model.Path} has no fill-in-the-middle tokens; choose a FIM family explicitly or use a code model.");
        var budget = _context.ContextSize - Math.Max(1, maxTokens) - 1;
        var fitted = fim.Fit(template, text => _model.Tokenize(text).Length, budget);
        return TokenizeSegments(template.Build(fitted));
    }

    private int[] TokenizeSegments(IReadOnlyList<PromptSegment> segments)
    {
        var tokens = new List<int>();
        if (_model.AddBos && _model.Bos >= 0)
        {
            tokens.Add(_model.Bos);
        }
        foreach (var segment in segments)
        {
            if (segment.IsMarker)
            {
                tokens.AddRange(MarkerTokens(segment.Text));
            }
            else if (segment.Text.Length > 0)
            {
                tokens.AddRange(_model.Tokenize(segment.Text, addSpecial: false, parseSpecial: false));
            }
        }
        return tokens.ToArray();
    }

    private int[] MarkerTokens(string marker)
    {
        var fim = _model.Fim;
        var id = marker switch
        {
            "<|fim_prefix|>" or "<fim_prefix>" or "<｜fim▁begin｜>" or "<PRE>" => fim.Prefix,
            "<|fim_suffix|>" or "<fim_suffix>" or "<｜fim▁hole｜>" or "<SUF>" => fim.Suffix,
            "<|fim_middle|>" or "<fim_middle>" or "<｜fim▁end｜>" or "<MID>" => fim.Middle,
            "<|repo_name|>" or "<repo_name>" or "<reponame>" => fim.Repo,
            "<|file_sep|>" or "<file_sep>" or "<filename>" => fim.FileSeparator,
            _ => -1,
        };
        return id >= 0 ? [id] : _model.Tokenize(marker, addSpecial: false, parseSpecial: true);
    }

    private async IAsyncEnumerable<CompletionChunk> GenerateAsync(
        int[] prompt, string? cacheKey, SamplingOptions sampling, int maxTokens, IReadOnlyList<string> stops, TimeSpan? deadline,
        IdentifierChoice? firstIdentifier, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (prompt.Length == 0)
        {
            throw new ArgumentException("The prompt is empty.");
        }
        if (prompt.Length + 1 > _context.ContextSize)
        {
            throw new ModelException($"The prompt is {prompt.Length} tokens but the model's context holds {_context.ContextSize}. Shorten the input or raise the context size.");
        }
        var started = Stopwatch.StartNew();
        var channel = Channel.CreateUnbounded<CompletionChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer;
        try
        {
            // CancellationToken.None: the work must start to release the gate; Generate observes stop.Token itself.
            producer = _context.RunAsync(() =>
            {
                try
                {
                    Generate(prompt, cacheKey, sampling, maxTokens, stops, deadline, firstIdentifier, started, channel.Writer, stop.Token);
                    channel.Writer.TryComplete();
                }
                catch (Exception exception)
                {
                    channel.Writer.TryComplete(exception);
                }
                finally
                {
                    _gate.Release();
                }
            }, CancellationToken.None);
        }
        catch
        {
            _gate.Release();
            throw;
        }
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
        finally
        {
            // The consumer may stop early: stop the loop and wait so the context is consistent before the next request.
            stop.Cancel();
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Runs on the context's decode thread while holding _gate.
    private void Generate(
        int[] prompt, string? cacheKey, SamplingOptions sampling, int maxTokens, IReadOnlyList<string> stops, TimeSpan? deadline,
        IdentifierChoice? firstIdentifier, Stopwatch started, ChannelWriter<CompletionChunk> writer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        maxTokens = Math.Max(0, Math.Min(maxTokens, _context.ContextSize - prompt.Length));
        var sequence = ChooseSequence(prompt, cacheKey);
        sequence.LastUse = ++_useCounter;
        sequence.Key = cacheKey ?? sequence.Key;

        var common = CommonPrefixLength(sequence.Tokens, prompt);
        if (common == prompt.Length)
        {
            common--; // the last prompt token must be decoded again for fresh logits
        }
        var promptTimer = Stopwatch.StartNew();
        EvaluateTail(sequence, prompt, common, maxTokens, cancellationToken);
        var promptMs = promptTimer.Elapsed.TotalMilliseconds;

        var constraint = IdentifierConstraint.Create(_tokenTable, firstIdentifier, out var constraintOutcome);
        using var sampler = new LlamaSampler(_model, sampling);
        sampler.AcceptPrompt(prompt);
        var decoder = Encoding.UTF8.GetDecoder();
        var pending = new StringBuilder();
        var generated = 0;
        var generationTimer = Stopwatch.StartNew();
        var maxStop = stops.Count == 0 ? 0 : stops.Max(s => s.Length);
        Usage UsageNow() => new(prompt.Length, common, generated, promptMs, generationTimer.Elapsed.TotalMilliseconds);

        var finish = FinishReason.Length;
        var chars = new char[64];
        while (generated < maxTokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline is { } limit && started.Elapsed >= limit)
            {
                finish = FinishReason.Deadline;
                break;
            }
            if (constraint is { IsActive: true })
            {
                constraint.Mask(_context);
            }
            var token = sampler.Sample(_context);
            if (constraint is { IsActive: true })
            {
                constraint.Accept(token);
            }
            if (_model.IsEndOfGeneration(token))
            {
                finish = FinishReason.EndOfGeneration;
                break;
            }
            generated++;
            var bytes = _model.TokenBytes(token);
            var count = decoder.GetCharCount(bytes, flush: false);
            if (chars.Length < count)
            {
                chars = new char[count * 2];
            }
            var written = decoder.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false); // holds back split UTF-8 characters
            pending.Append(chars, 0, written);

            if (StopAt(pending, stops) is { } stopIndex)
            {
                pending.Length = stopIndex;
                if (pending.Length > 0)
                {
                    writer.TryWrite(new CompletionChunk(pending.ToString(), false, FinishReason.None, UsageNow()));
                }
                pending.Clear();
                finish = FinishReason.Stop;
                break;
            }
            // Emit all but the tail that could still start a stop sequence.
            var emit = pending.Length - HeldBack(pending, stops, maxStop);
            if (emit > 0)
            {
                writer.TryWrite(new CompletionChunk(pending.ToString(0, emit), false, FinishReason.None, UsageNow()));
                pending.Remove(0, emit);
            }
            if (generated >= maxTokens)
            {
                break;
            }
            var position = sequence.Tokens.Count;
            _context.Decode([token], position, sequence.Id);
            sequence.Tokens.Add(token);
        }
        if (finish != FinishReason.Stop && pending.Length > 0)
        {
            writer.TryWrite(new CompletionChunk(pending.ToString(), false, FinishReason.None, UsageNow()));
        }
        writer.TryWrite(new CompletionChunk("", true, finish, UsageNow()) { FirstIdentifier = constraint?.Outcome ?? constraintOutcome });
    }

    private void EvaluateTail(Sequence sequence, int[] prompt, int common, int maxTokens, CancellationToken cancellationToken)
    {
        _context.RemoveFrom(sequence.Id, common);
        sequence.Tokens.RemoveRange(common, sequence.Tokens.Count - common);
        // Bound memory: the cache is shared, so evict least recently used sequences until this one fits.
        var needed = prompt.Length + maxTokens;
        foreach (var other in _sequences.Where(s => s != sequence && s.Tokens.Count > 0).OrderBy(s => s.LastUse))
        {
            if (_sequences.Sum(s => s == sequence ? needed : s.Tokens.Count) <= _context.ContextSize)
            {
                break;
            }
            Evict(other);
        }
        while (true)
        {
            try
            {
                _context.Decode(prompt.AsSpan(common), common, sequence.Id, cancellationToken);
                sequence.Tokens.AddRange(prompt.AsSpan(common));
                return;
            }
            catch (OperationCanceledException)
            {
                // What was evaluated before the cancellation stays: the next prompt sharing it starts from there.
                var kept = Math.Clamp(_context.LastPosition(sequence.Id) + 1, common, prompt.Length);
                _context.RemoveFrom(sequence.Id, kept);
                sequence.Tokens.AddRange(prompt.AsSpan(common, kept - common));
                throw;
            }
            catch (KvCacheFullException)
            {
                _context.RemoveFrom(sequence.Id, common);
                var victim = _sequences.Where(s => s != sequence && s.Tokens.Count > 0).MinBy(s => s.LastUse)
                    ?? throw new ModelException($"The prompt ({prompt.Length} tokens) does not fit in the KV cache ({_context.ContextSize} tokens).");
                Evict(victim);
            }
            catch
            {
                // Unknown state after a failed decode: forget this sequence entirely.
                _context.RemoveFrom(sequence.Id, 0);
                sequence.Tokens.Clear();
                throw;
            }
        }
    }

    private void Evict(Sequence sequence)
    {
        _context.RemoveFrom(sequence.Id, 0);
        sequence.Tokens.Clear();
        sequence.Key = null;
    }

    private Sequence ChooseSequence(int[] prompt, string? cacheKey)
    {
        if (cacheKey is not null && _sequences.FirstOrDefault(s => s.Key == cacheKey) is { } keyed)
        {
            return keyed;
        }
        // No sequence for this key: take the one sharing the longest prefix (a renamed document, an unkeyed request),
        // else an empty one, else the least recently used.
        var best = _sequences.MaxBy(s => CommonPrefixLength(s.Tokens, prompt))!;
        if (CommonPrefixLength(best.Tokens, prompt) > 0 && (cacheKey is null || best.Key is null))
        {
            return best;
        }
        var chosen = _sequences.FirstOrDefault(s => s.Tokens.Count == 0 && s.Key is null) ?? _sequences.MinBy(s => s.LastUse)!;
        if (chosen.Tokens.Count > 0)
        {
            Evict(chosen);
        }
        chosen.Key = cacheKey;
        return chosen;
    }

    private static int CommonPrefixLength(List<int> cached, int[] prompt)
    {
        var length = Math.Min(cached.Count, prompt.Length);
        var i = 0;
        while (i < length && cached[i] == prompt[i])
        {
            i++;
        }
        return i;
    }

    private static int? StopAt(StringBuilder text, IReadOnlyList<string> stops)
    {
        if (stops.Count == 0)
        {
            return null;
        }
        var value = text.ToString();
        int? first = null;
        foreach (var stop in stops)
        {
            if (stop.Length == 0)
            {
                continue;
            }
            var index = value.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first is null || index < first))
            {
                first = index;
            }
        }
        return first;
    }

    /// <summary>Length of the longest tail of <paramref name="text"/> that is a proper prefix of a stop sequence.</summary>
    private static int HeldBack(StringBuilder text, IReadOnlyList<string> stops, int maxStop)
    {
        if (maxStop == 0)
        {
            return 0;
        }
        var value = text.ToString();
        for (var length = Math.Min(maxStop - 1, value.Length); length > 0; length--)
        {
            var tail = value.AsSpan(value.Length - length);
            foreach (var stop in stops)
            {
                if (stop.Length > length && stop.AsSpan().StartsWith(tail, StringComparison.Ordinal))
                {
                    return length;
                }
            }
        }
        return 0;
    }

    /// <summary>Test and benchmark view of the sequence table.</summary>
    internal IReadOnlyList<(int Id, string? Key, int Tokens)> SequenceState() =>
        _sequences.Select(s => (s.Id, s.Key, s.Tokens.Count)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false); // wait for a running loop; disposal is not cancellable
        try
        {
            _context.Dispose();
            if (_ownsModel)
            {
                _model.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
