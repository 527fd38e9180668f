using System.Runtime.CompilerServices;
using CodeAssist.Models;

namespace CodeAssist.Features.Tests;

/// <summary>
/// The model of the tests whose outcome depends on what a model writes, where no trained model can be had: answers are
/// scripted per call and streamed in small pieces, and every prompt is kept. What these tests check is what the features
/// do with an answer (the comment-only edit, the compile-and-repair loop, the prompt they built), never the model; the
/// real model runs in the server's and the end-to-end tests.
/// </summary>
internal sealed class ScriptedModel(params string[] answers) : ICodeModel
{
    private int _next;

    public List<IReadOnlyList<ChatMessage>> Prompts { get; } = [];

    public ModelDescription Description { get; init; } = new("scripted", "test", 8192, null);

    /// <summary>4 characters a token, as the remote backend estimates.</summary>
    public int CountTokens(string text) => (text.Length + 3) / 4;

    public IAsyncEnumerable<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken) =>
        ChatAsync(new ChatRequest { Messages = [new ChatMessage("user", request.Prompt ?? "")] }, cancellationToken);

    public async IAsyncEnumerable<CompletionChunk> ChatAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Prompts.Add(request.Messages);
        string answer = answers[Math.Min(_next++, answers.Length - 1)];
        int generated = 0;
        for (int i = 0; i < answer.Length; i += 5)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            generated++;
            yield return new CompletionChunk(answer.Substring(i, Math.Min(5, answer.Length - i)), false, FinishReason.None, new Usage(0, 0, generated, 0, 0));
        }
        yield return new CompletionChunk("", true, FinishReason.EndOfGeneration, new Usage(0, 0, generated, 0, 0));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
