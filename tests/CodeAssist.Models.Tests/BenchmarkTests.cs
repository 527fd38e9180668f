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

    [Fact]
    public void A_runs_ratio_is_the_median_of_its_rounds_ratios_not_the_ratio_of_each_sides_best_round()
    {
        // Generation t/s of a real two-thread run, ours then llama-bench per round: even, but llama-bench's best round
        // (41.9) against ours (38.4) would read 0.92.
        var rounds = new (double Ours, double Native)[] { (38.4, 35.1), (37.6, 41.9), (37.7, 37.1), (35.6, 32.9), (34.2, 36.4) }
            .Select(r => new BenchmarkRound(new Throughput(100, r.Ours), new Throughput(100, r.Native))).ToArray();
        var result = new BenchmarkResult("m.gguf", 2, "cpu", new Throughput(100, 37.6), new Throughput(100, 36.4), new PrefixReuse(50, 5), rounds);

        Assert.Equal(37.7 / 37.1, result.GenerationRatio!.Value, 9);
        Assert.Equal(1.0, result.PromptRatio!.Value, 9);
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
        Assert.Equal(result.Ours.GenerationTokensPerSecond, result.Rounds.Select(r => r.Ours.GenerationTokensPerSecond).Order().ElementAt(LlamaBenchmark.Rounds / 2));
        var llamaBenchBuilt = File.Exists(Path.Combine(LlamaLibrary.InstallDirectory, "bin", "llama-bench"));
        Assert.Equal(llamaBenchBuilt, result.Native is { PromptTokensPerSecond: > 0, GenerationTokensPerSecond: > 0 });
    }
}
