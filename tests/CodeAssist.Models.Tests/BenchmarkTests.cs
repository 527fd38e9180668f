namespace CodeAssist.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class BenchmarkTests(TinyModel tiny)
{
    [Fact]
    public void JsonHasTheExactShape()
    {
        var rounds = new[]
        {
            new BenchmarkRound(new Throughput(100, 10), new Throughput(200, 20)),
            new BenchmarkRound(new Throughput(90, 8), null),
        };
        var result = new BenchmarkResult("m.gguf", 2, "cpu", new Throughput(100, 10), new Throughput(200, 20), new PrefixReuse(50, 5), rounds);
        Assert.Equal(
            """{"model":"m.gguf","threads":2,"backend":"cpu","ours":{"promptTokensPerSecond":100,"generationTokensPerSecond":10},"native":{"promptTokensPerSecond":200,"generationTokensPerSecond":20},"ratio":{"prompt":0.5,"generation":0.5},"prefixReuse":{"coldMs":50,"reusedMs":5,"ratio":0.1},"rounds":[{"ours":{"promptTokensPerSecond":100,"generationTokensPerSecond":10},"native":{"promptTokensPerSecond":200,"generationTokensPerSecond":20},"ratio":{"prompt":0.5,"generation":0.5}},{"ours":{"promptTokensPerSecond":90,"generationTokensPerSecond":8},"native":null,"ratio":{"prompt":null,"generation":null}}]}""",
            result.ToJson());
    }

    /// <summary>The figures themselves are reported by <c>codeassist bench model</c>, never asserted.</summary>
    [Fact]
    public async Task Measures_ours_and_llama_bench_on_the_same_model_and_threads()
    {
        var result = await LlamaBenchmark.RunAsync(tiny.ModelPath, threads: 1);

        Assert.Equal(tiny.ModelPath, result.Model);
        Assert.Equal(1, result.Threads);
        Assert.Equal("cpu", result.Backend);
        Assert.True(result.Ours.PromptTokensPerSecond > 0 && result.Ours.GenerationTokensPerSecond > 0);
        Assert.True(result.PrefixReuse.ColdMilliseconds > 0 && result.PrefixReuse.ReusedMilliseconds > 0);
        Assert.Equal(LlamaBenchmark.Rounds, result.Rounds.Count);
        Assert.Equal(result.Ours.GenerationTokensPerSecond, result.Rounds.Max(r => r.Ours.GenerationTokensPerSecond));
        var llamaBenchBuilt = File.Exists(Path.Combine(LlamaLibrary.InstallDirectory, "bin", "llama-bench"));
        Assert.Equal(llamaBenchBuilt, result.Native is { PromptTokensPerSecond: > 0, GenerationTokensPerSecond: > 0 });
    }
}
