using System.Globalization;

namespace CodeAssist.Models;

/// <summary>
/// One interface for every backend: llama.cpp in process (<see cref="LlamaCodeModel"/>) and an OpenAI-compatible or
/// llama-server endpoint (<see cref="RemoteCodeModel"/>). Results stream as chunks; the last chunk has
/// <see cref="CompletionChunk.IsFinal"/> set and the finish reason. Cancellation is honoured between tokens and surfaces
/// as <see cref="OperationCanceledException"/>; a cancelled request leaves the model usable.
/// </summary>
public interface ICodeModel : IAsyncDisposable
{
    ModelDescription Description { get; }

    /// <summary>Plain completion (<see cref="CompletionRequest.Prompt"/>) or fill-in-the-middle (<see cref="CompletionRequest.Fim"/>).</summary>
    IAsyncEnumerable<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken);

    IAsyncEnumerable<CompletionChunk> ChatAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>Tokens <paramref name="text"/> takes as prompt text: exact in process, estimated (4 characters a token) for a remote model.</summary>
    int CountTokens(string text);
}

/// <summary>What a model is and where it runs, for <c>codeassist/status</c>.</summary>
public sealed record ModelDescription(string Name, string Backend, int ContextSize, string? FimFamily);

public sealed record CompletionRequest
{
    /// <summary>Plain prompt text (tokenized without special-token parsing). Exactly one of Prompt, PromptTokens, Fim.</summary>
    public string? Prompt { get; init; }
    /// <summary>Already tokenized prompt (benchmarks, callers with their own tokenizer).</summary>
    public IReadOnlyList<int>? PromptTokens { get; init; }
    public FimPrompt? Fim { get; init; }
    public int MaxTokens { get; init; } = 128;
    public IReadOnlyList<string> StopSequences { get; init; } = [];
    /// <summary>Stop (finish reason <see cref="FinishReason.Deadline"/>) when this much time has passed since the call.</summary>
    public TimeSpan? Deadline { get; init; }
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;
    /// <summary>Cache key, usually the document URI: requests with the same key reuse that sequence's KV cache.</summary>
    public string? CacheKey { get; init; }
    /// <summary>Hold the first generated identifier to these names (in process only; the remote backend ignores it).</summary>
    public IdentifierChoice? FirstIdentifier { get; init; }
}

public sealed record ChatRequest
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public int MaxTokens { get; init; } = 512;
    public IReadOnlyList<string> StopSequences { get; init; } = [];
    public TimeSpan? Deadline { get; init; }
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;
    /// <summary>Chat template name or text for llama_chat_apply_template; null = the GGUF's own.</summary>
    public string? Template { get; init; }
    public string? CacheKey { get; init; }
}

public enum FinishReason { None, Stop, Length, EndOfGeneration, Deadline }

/// <summary>Token and time accounting of one request. <see cref="ReusedPromptTokens"/> were already in the KV cache.</summary>
public sealed record Usage(int PromptTokens, int ReusedPromptTokens, int GeneratedTokens, double PromptMilliseconds, double GenerationMilliseconds)
{
    public static Usage Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The figures in words, for logs and benchmark reports.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"prompt {PromptTokens} tokens, {ReusedPromptTokens} from the KV cache, {PromptMilliseconds:0} ms; {GeneratedTokens} generated in {GenerationMilliseconds:0} ms");
}

/// <summary>A piece of streamed text. Every chunk carries the usage so far; the final one the totals and why it stopped.</summary>
public sealed record CompletionChunk(string Text, bool IsFinal, FinishReason FinishReason, Usage Usage)
{
    /// <summary>On the final chunk: what became of <see cref="CompletionRequest.FirstIdentifier"/>.</summary>
    public IdentifierConstraintOutcome FirstIdentifier { get; init; }
}
