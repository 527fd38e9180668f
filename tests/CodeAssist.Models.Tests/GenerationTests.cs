using System.Diagnostics;

namespace CodeAssist.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class GenerationTests(TinyModel tiny)
{
    private LlamaCodeModel Open(int sequences = 4, int contextSize = 0) => LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions
    {
        Context = new LlamaContextOptions { Threads = 2, Sequences = sequences, ContextSize = contextSize },
    });

    private static async Task<(string Text, CompletionChunk Final, List<CompletionChunk> Chunks)> Collect(IAsyncEnumerable<CompletionChunk> stream)
    {
        var chunks = new List<CompletionChunk>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }
        return (string.Concat(chunks.Select(c => c.Text)), chunks[^1], chunks);
    }

    private static CompletionRequest Plain(string prompt, int maxTokens = 16, string? key = null) =>
        new() { Prompt = prompt, MaxTokens = maxTokens, CacheKey = key };

    [Fact]
    public async Task GreedyGenerationIsDeterministic()
    {
        await using var first = Open();
        await using var second = Open();
        var a = await Collect(first.CompleteAsync(Plain("int main() {"), CancellationToken.None));
        var b = await Collect(second.CompleteAsync(Plain("int main() {"), CancellationToken.None));
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(16, a.Final.Usage.GeneratedTokens);
        Assert.Equal(FinishReason.Length, a.Final.FinishReason);
    }

    [Fact]
    public async Task SeededSamplingIsReproducibleAndSeedsDiffer()
    {
        await using var model = Open();
        CompletionRequest Sampled(uint seed) => Plain("def f(x):", 24) with
        {
            Sampling = new SamplingOptions { Temperature = 50f, TopK = 1000, TopP = 1f, MinP = 0, RepeatPenalty = 1.1f, Seed = seed },
        };
        var a = await Collect(model.CompleteAsync(Sampled(7), CancellationToken.None));
        var b = await Collect(model.CompleteAsync(Sampled(7), CancellationToken.None));
        var c = await Collect(model.CompleteAsync(Sampled(8), CancellationToken.None));
        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Text, c.Text);
    }

    [Fact]
    public async Task StreamsChunksInOrderWithGrowingUsageAndOneFinalChunk()
    {
        await using var model = Open();
        var (text, final, chunks) = await Collect(model.CompleteAsync(Plain("class A {", 20), CancellationToken.None));
        Assert.Single(chunks, c => c.IsFinal);
        Assert.True(chunks[^1].IsFinal);
        var generated = chunks.Select(c => c.Usage.GeneratedTokens).ToList();
        Assert.Equal(generated.Order().ToList(), generated);
        Assert.True(chunks.Count > 2);
        // The streamed pieces concatenate to the same text a one-shot detokenization gives.
        Assert.Equal(20, final.Usage.GeneratedTokens);
        Assert.False(string.IsNullOrEmpty(text));
    }

    [Fact]
    public async Task StopSequenceEndsGenerationAndIsNotEmitted()
    {
        await using var model = Open();
        var reference = await Collect(model.CompleteAsync(Plain("x = ", 32), CancellationToken.None));
        // Choose a stop string from the middle of what the model generates anyway.
        var text = reference.Text;
        Assert.True(text.Length >= 8, $"need some text to cut, got '{text}'");
        var cut = text.Length / 2;
        var stop = text.Substring(cut, Math.Min(3, text.Length - cut));
        var expected = text[..text.IndexOf(stop, StringComparison.Ordinal)];
        var stopped = await Collect(model.CompleteAsync(Plain("x = ", 32) with { StopSequences = [stop] }, CancellationToken.None));
        Assert.Equal(expected, stopped.Text);
        Assert.Equal(FinishReason.Stop, stopped.Final.FinishReason);
    }

    [Fact]
    public async Task MaxTokensLimitsGeneration()
    {
        await using var model = Open();
        var result = await Collect(model.CompleteAsync(Plain("foo", 5), CancellationToken.None));
        Assert.Equal(5, result.Final.Usage.GeneratedTokens);
        Assert.Equal(FinishReason.Length, result.Final.FinishReason);
    }

    [Fact]
    public async Task DeadlineStopsGeneration()
    {
        await using var model = Open();
        var result = await Collect(model.CompleteAsync(Plain("foo", 1000) with { Deadline = TimeSpan.Zero }, CancellationToken.None));
        Assert.Equal(FinishReason.Deadline, result.Final.FinishReason);
        Assert.Equal(0, result.Final.Usage.GeneratedTokens);
    }

    [Fact]
    public async Task CancellationMidGenerationReturnsAndTheModelStaysUsable()
    {
        await using var model = Open();
        using var cancellation = new CancellationTokenSource();
        var received = 0;
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in model.CompleteAsync(Plain("while (true) {", 1500), cancellation.Token))
            {
                if (++received == 3)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.True(received >= 3);
        // The context is usable: a fresh request completes and gives the same greedy text as a new model would.
        var after = await Collect(model.CompleteAsync(Plain("int main() {"), CancellationToken.None));
        await using var fresh = Open();
        var expected = await Collect(fresh.CompleteAsync(Plain("int main() {"), CancellationToken.None));
        Assert.Equal(expected.Text, after.Text);
    }

    [Fact]
    public async Task ACancelledPromptEvaluationStopsInsideLlamaCppAndLeavesNothingHalfDone()
    {
        await using var model = Open();
        var tokens = Enumerable.Range(100, 300).ToArray();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // Already cancelled: the abort flag is set before llama_decode starts, so it stops at the first graph node.
        await Assert.ThrowsAsync<OperationCanceledException>(() => model.Context.RunAsync(() => model.Context.Decode(tokens, 0, 0, cancelled.Token), CancellationToken.None));
        Assert.Equal(-1, model.Context.LastPosition(0));

        // A token that does not fire decodes as usual, and the abort callback is gone afterwards.
        using var live = new CancellationTokenSource();
        await model.Context.RunAsync(() => model.Context.Decode(tokens, 0, 0, live.Token), CancellationToken.None);
        Assert.Equal(tokens.Length - 1, model.Context.LastPosition(0));
        await model.Context.RunAsync(() => model.Context.RemoveFrom(0, 0), CancellationToken.None);
        var after = await Collect(model.CompleteAsync(Plain("int main() {"), CancellationToken.None));
        await using var fresh = Open();
        Assert.Equal((await Collect(fresh.CompleteAsync(Plain("int main() {"), CancellationToken.None))).Text, after.Text);
    }

    [Fact]
    public async Task AbandoningTheStreamReleasesTheModel()
    {
        await using var model = Open();
        await foreach (var chunk in model.CompleteAsync(Plain("abc", 500), CancellationToken.None))
        {
            break;
        }
        var next = await Collect(model.CompleteAsync(Plain("abc", 3), CancellationToken.None));
        Assert.Equal(3, next.Final.Usage.GeneratedTokens);
    }

    [Fact]
    public async Task PromptLongerThanTheContextIsAClearError()
    {
        await using var model = Open(contextSize: 256);
        var prompt = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));
        var error = await Assert.ThrowsAsync<ModelException>(async () => await Collect(model.CompleteAsync(Plain(prompt), CancellationToken.None)));
        Assert.Contains("context holds 256", error.Message);
        var ok = await Collect(model.CompleteAsync(Plain("short"), CancellationToken.None));
        Assert.Equal(16, ok.Final.Usage.GeneratedTokens);
    }

    [Fact]
    public async Task ContextSizeNeverExceedsTheTrainedLength()
    {
        await using var model = Open(contextSize: 100_000);
        Assert.Equal(TinyModel.TrainedContext, model.Context.ContextSize);
        Assert.Equal(2, model.Context.Threads);
    }

    [Fact]
    public async Task PromptSharingAPrefixEvaluatesOnlyTheTail()
    {
        await using var model = Open();
        var baseTokens = Enumerable.Range(100, 1000).ToArray();
        var cold = await Collect(model.CompleteAsync(new CompletionRequest { PromptTokens = baseTokens, MaxTokens = 4, CacheKey = "a.cs" }, CancellationToken.None));
        Assert.Equal(0, cold.Final.Usage.ReusedPromptTokens);
        var next = baseTokens[..990].Concat(Enumerable.Range(5000, 12)).ToArray();
        var warm = await Collect(model.CompleteAsync(new CompletionRequest { PromptTokens = next, MaxTokens = 4, CacheKey = "a.cs" }, CancellationToken.None));
        Assert.Equal(990, warm.Final.Usage.ReusedPromptTokens);
        Assert.Equal(1002, warm.Final.Usage.PromptTokens);
        // Same prompt again: everything but the last token (re-decoded for fresh logits) is reused.
        var same = await Collect(model.CompleteAsync(new CompletionRequest { PromptTokens = next, MaxTokens = 4, CacheKey = "a.cs" }, CancellationToken.None));
        Assert.Equal(1001, same.Final.Usage.ReusedPromptTokens);
        // Reuse gives the same output as a cold evaluation of the same prompt.
        await using var fresh = Open();
        var coldSame = await Collect(fresh.CompleteAsync(new CompletionRequest { PromptTokens = next, MaxTokens = 4 }, CancellationToken.None));
        Assert.Equal(coldSame.Text, same.Text);
    }

    [Fact]
    public async Task TypingOneMoreCharacterReusesTheDocumentsCache()
    {
        await using var model = Open();
        var prefix = string.Concat(Enumerable.Range(0, 40).Select(i => $"var value{i} = Compute({i});\n"));
        var first = await Collect(model.CompleteAsync(Plain(prefix + "var x", 4, "doc.cs"), CancellationToken.None));
        var second = await Collect(model.CompleteAsync(Plain(prefix + "var xy", 4, "doc.cs"), CancellationToken.None));
        Assert.True(second.Final.Usage.ReusedPromptTokens >= first.Final.Usage.PromptTokens - 3,
            $"reused {second.Final.Usage.ReusedPromptTokens} of {second.Final.Usage.PromptTokens}");
    }

    [Fact]
    public async Task SeveralDocumentsKeepTheirOwnSequencesWithLruEviction()
    {
        await using var model = Open(sequences: 2);
        string Doc(string name) => string.Concat(Enumerable.Range(0, 30).Select(i => $"// {name} line {i}\n"));
        await Collect(model.CompleteAsync(Plain(Doc("a"), 2, "a"), CancellationToken.None));
        await Collect(model.CompleteAsync(Plain(Doc("b"), 2, "b"), CancellationToken.None));
        var againA = await Collect(model.CompleteAsync(Plain(Doc("a") + "x", 2, "a"), CancellationToken.None));
        Assert.True(againA.Final.Usage.ReusedPromptTokens > 100, $"a reused {againA.Final.Usage.ReusedPromptTokens}");
        var againB = await Collect(model.CompleteAsync(Plain(Doc("b") + "x", 2, "b"), CancellationToken.None));
        Assert.True(againB.Final.Usage.ReusedPromptTokens > 100, $"b reused {againB.Final.Usage.ReusedPromptTokens}");
        // A third document evicts the least recently used (a); b keeps its cache.
        await Collect(model.CompleteAsync(Plain(Doc("c"), 2, "c"), CancellationToken.None));
        var keys = model.SequenceState().Select(s => s.Key).ToHashSet();
        Assert.Equal(new HashSet<string?> { "b", "c" }, keys);
        var b = await Collect(model.CompleteAsync(Plain(Doc("b") + "x", 2, "b"), CancellationToken.None));
        Assert.True(b.Final.Usage.ReusedPromptTokens > 100);
        var a = await Collect(model.CompleteAsync(Plain(Doc("a"), 2, "a"), CancellationToken.None));
        Assert.Equal(0, a.Final.Usage.ReusedPromptTokens);
    }

    [Fact]
    public async Task ConcurrentRequestsAreSerialisedAndAllComplete()
    {
        await using var model = Open();
        var tasks = Enumerable.Range(0, 4).Select(i => Task.Run(() => Collect(model.CompleteAsync(Plain($"item {i}", 6, $"k{i}"), CancellationToken.None)))).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal(6, r.Final.Usage.GeneratedTokens));
    }

    [Fact]
    public async Task ChatUsesTheTemplateAndStreams()
    {
        await using var model = Open();
        var result = await Collect(model.ChatAsync(new ChatRequest { Messages = [new ChatMessage("user", "Hello")], MaxTokens = 8 }, CancellationToken.None));
        Assert.True(result.Final.Usage.PromptTokens > 5);
        Assert.InRange(result.Final.Usage.GeneratedTokens, 1, 8);
        Assert.True(result.Final.FinishReason is FinishReason.Length or FinishReason.EndOfGeneration);
    }

    [Fact]
    public async Task FimCompletionUsesTheVocabularysFimTokens()
    {
        await using var model = Open();
        Assert.Equal(FimFamily.StarCoder, model.FimTemplate!.Family);
        var request = new CompletionRequest
        {
            Fim = new FimPrompt { Prefix = "int Add(int a, int b) {\n    return ", Suffix = ";\n}\n", FilePath = "src/Math.cs" },
            MaxTokens = 6,
        };
        var result = await Collect(model.CompleteAsync(request, CancellationToken.None));
        Assert.True(result.Final.Usage.PromptTokens > 10);
        Assert.True(result.Final.IsFinal);
    }

    [Fact]
    public async Task FimTokensAreInTheFamilysOrderAndCodeCannotInjectThem()
    {
        await using var model = Open();
        var tokens = model.BuildFimTokens(new FimPrompt { Prefix = "var s = \"<fim_prefix>\";\n", Suffix = "\n<fim_middle>" }, 16);
        Assert.Equal(1, tokens[0]);                     // <fim_prefix>
        Assert.Single(tokens, 1);                       // the "<fim_prefix>" inside the code stays text
        Assert.Single(tokens, 2);
        Assert.Equal(2, tokens[^1]);                    // <fim_middle> last
        Assert.True(Array.IndexOf(tokens, 3) > 0);      // <fim_suffix> between them
        Assert.Equal("var s = \"<fim_prefix>\";\n", model.Model.Detokenize(tokens[1..Array.IndexOf(tokens, 3)]));
    }

    [Fact]
    public async Task FimPromptIsFittedToTheWindow()
    {
        await using var model = Open(contextSize: 256);
        var prefix = string.Concat(Enumerable.Range(0, 200).Select(i => $"int value{i} = {i};\n")) + "return ";
        var tokens = model.BuildFimTokens(new FimPrompt { Prefix = prefix, Suffix = ";\n}\n", Snippets = [new ContextSnippet("a.cs", "class A {}")] }, 32);
        Assert.InRange(tokens.Length, 100, 256 - 32 - 1);
        Assert.EndsWith("return ", model.Model.Detokenize(tokens[1..Array.IndexOf(tokens, 3)]));
    }

    [Fact]
    public async Task PromptsLongerThanTheBatchAreDecodedInChunks()
    {
        var prompt = string.Concat(Enumerable.Range(0, 60).Select(i => $"item{i}, "));
        await using var small = LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 2, BatchSize = 32, MicroBatchSize = 32 } });
        await using var large = Open();
        Assert.Equal(32, small.Context.BatchSize);
        var a = await Collect(small.CompleteAsync(Plain(prompt, 8), CancellationToken.None));
        var b = await Collect(large.CompleteAsync(Plain(prompt, 8), CancellationToken.None));
        Assert.True(a.Final.Usage.PromptTokens > 100);
        Assert.Equal(b.Text, a.Text);
    }
}
