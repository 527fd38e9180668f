namespace CodeAssist.Features.Completion;

/// <summary>What inline completion did since the server started, for <c>codeassist/status</c> and the benchmark.</summary>
public sealed record CompletionCounts(
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
    long Repaired);

/// <summary>
/// Thread-safe counters behind <see cref="CompletionCounts"/>. Generations are model calls that produce text (for a request
/// or speculatively); prompt tokens count every model call that completed, KV-cache warming included, so
/// <see cref="CompletionCounts.ReusedPromptTokens"/> over <see cref="CompletionCounts.PromptTokens"/> is the share of
/// prompt evaluation the cache saved. A call cancelled midway reports no tokens.
/// </summary>
internal sealed class CompletionStatistics
{
    private long _requests, _shown, _accepted, _acceptedCharacters, _partiallyAccepted, _cancelled, _answeredFromCache;
    private long _generationsStarted, _generationsFinished, _promptTokens, _reusedPromptTokens, _compilerRejections, _repaired;

    public void Request() => Interlocked.Increment(ref _requests);
    public void Show() => Interlocked.Increment(ref _shown);
    public void Cancel() => Interlocked.Increment(ref _cancelled);
    public void AnswerFromCache() => Interlocked.Increment(ref _answeredFromCache);
    public void StartGeneration() => Interlocked.Increment(ref _generationsStarted);
    public void FinishGeneration() => Interlocked.Increment(ref _generationsFinished);
    public void RejectByCompiler(int candidates) => Interlocked.Add(ref _compilerRejections, candidates);
    public void Repair(int candidates) => Interlocked.Add(ref _repaired, candidates);

    public void Accept(int characters)
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Add(ref _acceptedCharacters, characters);
    }

    public void AcceptPartially(int characters)
    {
        Interlocked.Increment(ref _partiallyAccepted);
        Interlocked.Add(ref _acceptedCharacters, characters);
    }

    public void Prompt(int tokens, int reused)
    {
        Interlocked.Add(ref _promptTokens, tokens);
        Interlocked.Add(ref _reusedPromptTokens, reused);
    }

    public CompletionCounts Snapshot() => new(
        Interlocked.Read(ref _requests), Interlocked.Read(ref _shown), Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _acceptedCharacters), Interlocked.Read(ref _partiallyAccepted), Interlocked.Read(ref _cancelled),
        Interlocked.Read(ref _answeredFromCache), Interlocked.Read(ref _generationsStarted), Interlocked.Read(ref _generationsFinished),
        Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _reusedPromptTokens), Interlocked.Read(ref _compilerRejections),
        Interlocked.Read(ref _repaired));
}
