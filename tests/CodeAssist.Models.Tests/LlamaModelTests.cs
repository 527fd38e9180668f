namespace CodeAssist.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class LlamaModelTests(TinyModel tiny)
{
    [Fact]
    public void StructSizesMatchThePinnedHeader()
    {
        LlamaLibrary.CheckStructSizes();
        Assert.Equal((80, 160, 56), LlamaLibrary.StructSizes);
    }

    [Fact]
    public void BackendIsDetectedAndVersionIsPinned()
    {
        var backend = LlamaLibrary.EnsureInitialized();
        Assert.Contains(backend.Name, new[] { "cpu", "cuda" });
        Assert.StartsWith("0.5.0", LlamaLibrary.NativeVersion);
    }

    [Fact]
    public void LoadsTheTinyModelWithProgressAndMetadata()
    {
        var reports = new List<double>();
        using var model = LlamaModel.Load(tiny.ModelPath, new ModelLoadOptions { Progress = new SynchronousProgress<double>(reports.Add) });
        Assert.Equal("llama", model.Architecture);
        Assert.Equal(TinyModel.TrainedContext, model.TrainedContextLength);
        Assert.Equal(49152, model.VocabularySize);
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1], 3);
        Assert.Equal("random-tiny-starcoder", model.Metadata("general.name"));
        Assert.Null(model.Metadata("no.such.key"));
    }

    [Fact]
    public void FimTokensComeFromTheVocabulary()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        Assert.Equal(new FimTokens(1, 3, 2, 4, -1, -1) with { Repo = model.Fim.Repo, FileSeparator = model.Fim.FileSeparator }, model.Fim);
        Assert.True(model.Fim.HasInfill);
    }

    [Theory]
    [InlineData("public static void Main(string[] args) { }")]
    [InlineData("naïve café — 日本語のテキスト 🎉 emoji")]
    [InlineData("    indented\n\ttabs\r\nand CRLF")]
    [InlineData("")]
    public void TokenizeRoundTrips(string text)
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        var tokens = model.Tokenize(text);
        Assert.Equal(text, model.Detokenize(tokens));
    }

    [Fact]
    public void MultibyteCharactersSplitAcrossTokensAreReassembled()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        var tokens = model.Tokenize("🎉");
        // Byte-level BPE spreads the 4-byte emoji over several tokens; single pieces are not valid UTF-8 on their own.
        Assert.True(tokens.Length > 1, $"expected a split, got {tokens.Length} token(s)");
        Assert.Contains(tokens, t => model.TokenBytes(t).Length < 4);
        Assert.Equal("🎉", model.Detokenize(tokens));
    }

    [Fact]
    public void SpecialTokenTextIsOnlyParsedWhenAsked()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        Assert.Equal([1], model.Tokenize("<fim_prefix>", parseSpecial: true));
        Assert.NotEqual([1], model.Tokenize("<fim_prefix>", parseSpecial: false));
    }

    [Fact]
    public async Task VectorisedArgMaxAgreesWithAPlainLoop()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        using var context = new LlamaContext(model, new LlamaContextOptions { ContextSize = 256, Threads = 2, Sequences = 1 });
        var tokens = model.Tokenize("for (int i = 0; i < n; i++)");
        for (var step = 0; step < 5; step++)
        {
            var (expected, actual) = await context.RunAsync(() =>
            {
                context.Decode(tokens, 0, 0);
                var logits = context.LastLogits();
                var best = 0;
                for (var i = 1; i < logits.Length; i++)
                {
                    if (logits[i] > logits[best])
                    {
                        best = i;
                    }
                }
                return (best, context.ArgMaxLastLogits());
            }, CancellationToken.None);
            Assert.Equal(expected, actual);
            context.RemoveFrom(0, 0);
            tokens = [.. tokens, expected];
        }
    }

    [Fact]
    public void ChatTemplateFallsBackToChatml()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        var text = model.ApplyChatTemplate([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")]);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", text);
    }
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the pool, racing the assertions).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
