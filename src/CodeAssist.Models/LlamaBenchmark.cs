using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CodeAssist.Models;

public sealed record Throughput(double PromptTokensPerSecond, double GenerationTokensPerSecond);

public sealed record PrefixReuse(double ColdMilliseconds, double ReusedMilliseconds)
{
    public double Ratio => ColdMilliseconds > 0 ? ReusedMilliseconds / ColdMilliseconds : double.NaN;
}

/// <summary>One interleaved round: ours, then llama-bench (null when it was not built).</summary>
public sealed record BenchmarkRound(Throughput Ours, Throughput? Native)
{
    public double? PromptRatio => Ratio(Ours.PromptTokensPerSecond, Native?.PromptTokensPerSecond);
    public double? GenerationRatio => Ratio(Ours.GenerationTokensPerSecond, Native?.GenerationTokensPerSecond);

    private static double? Ratio(double ours, double? native) => native is double n && n > 0 ? ours / n : null;
}

/// <summary>
/// Result of <see cref="LlamaBenchmark.RunAsync"/>: each side's median throughput and every round. The ratios are the
/// median of the rounds' own: a round pairs ours with the llama-bench run right after it, so both meet the same state of
/// a shared machine, and no single round on either side decides the figure (the ratio of each side's best round did: a
/// run whose rounds were even, medians 37.6 and 36.4 t/s, read 0.92 from one llama-bench round of 41.9).
/// <see cref="Native"/> is null when llama-bench was not built.
/// </summary>
public sealed record BenchmarkResult(string Model, int Threads, string Backend, Throughput Ours, Throughput? Native, PrefixReuse PrefixReuse, IReadOnlyList<BenchmarkRound> Rounds)
{
    public double? PromptRatio => MedianOf(Rounds.Select(r => r.PromptRatio));
    public double? GenerationRatio => MedianOf(Rounds.Select(r => r.GenerationRatio));

    private static double? MedianOf(IEnumerable<double?> ratios) => ratios.OfType<double>().ToList() is { Count: > 0 } all ? LlamaBenchmark.Median(all) : null;

    /// <summary>The fixed shape the benchmark report expects (keys in this order).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            void Number(string name, double? value)
            {
                if (value is { } v && double.IsFinite(v))
                {
                    json.WriteNumber(name, Math.Round(v, 3));
                }
                else
                {
                    json.WriteNull(name);
                }
            }
            void Side(string name, Throughput? throughput)
            {
                if (throughput is null)
                {
                    json.WriteNull(name);
                    return;
                }
                json.WriteStartObject(name);
                Number("promptTokensPerSecond", throughput.PromptTokensPerSecond);
                Number("generationTokensPerSecond", throughput.GenerationTokensPerSecond);
                json.WriteEndObject();
            }
            void Ratios(double? prompt, double? generation)
            {
                json.WriteStartObject("ratio");
                Number("prompt", prompt);
                Number("generation", generation);
                json.WriteEndObject();
            }
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteNumber("threads", Threads);
            json.WriteString("backend", Backend);
            Side("ours", Ours);
            Side("native", Native);
            Ratios(PromptRatio, GenerationRatio);
            json.WriteStartObject("prefixReuse");
            Number("coldMs", PrefixReuse.ColdMilliseconds);
            Number("reusedMs", PrefixReuse.ReusedMilliseconds);
            Number("ratio", PrefixReuse.Ratio);
            json.WriteEndObject();
            json.WriteStartArray("rounds");
            foreach (var round in Rounds)
            {
                json.WriteStartObject();
                Side("ours", round.Ours);
                Side("native", round.Native);
                Ratios(round.PromptRatio, round.GenerationRatio);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>
/// Measures our binding against llama.cpp's own llama-bench on the same GGUF and thread count, mirroring its method:
/// pp512 (one warm-up, then 5 runs of a 512-token prompt in a 512-token context) and tg128 (128 single-token decodes in
/// a 128-token context; we also pick each next token by argmax, which llama-bench does not), tokens/s averaged over the
/// runs. Prefix reuse: a 1000-token prompt, then one sharing its first 990 tokens, through <see cref="LlamaCodeModel"/>.
/// </summary>
public static class LlamaBenchmark
{
    public const int PromptTokens = 512;
    public const int GeneratedTokens = 128;
    public const int Repetitions = 5;
    public const int Rounds = 5;

    public static async Task<BenchmarkResult> RunAsync(string modelPath, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (threads <= 0)
        {
            threads = LlamaLibrary.PhysicalCoreCount();
        }
        using var model = LlamaModel.Load(modelPath, cancellationToken: cancellationToken);
        var random = new Random(42);
        int[] RandomTokens(int count) => Enumerable.Range(0, count).Select(_ => random.Next(model.VocabularySize)).ToArray();

        // Shared cores make single runs noisy: interleave rounds of ours and llama-bench's and keep every round, so the
        // spread shows; each side's figure is its median round (the same statistic for both).
        var rounds = new List<BenchmarkRound>();
        for (var round = 0; round < Rounds; round++)
        {
            var ours = await MeasureOursAsync(model, threads, random, cancellationToken).ConfigureAwait(false);
            var reference = await RunLlamaBenchAsync(modelPath, threads, cancellationToken).ConfigureAwait(false);
            rounds.Add(new BenchmarkRound(ours, reference));
        }
        static Throughput MedianOf(IEnumerable<Throughput> all) =>
            new(Median(all.Select(t => t.PromptTokensPerSecond).ToList()), Median(all.Select(t => t.GenerationTokensPerSecond).ToList()));
        var median = MedianOf(rounds.Select(r => r.Ours));
        var native = rounds.All(r => r.Native is not null) ? MedianOf(rounds.Select(r => r.Native!)) : null;

        PrefixReuse reuse;
        await using (var codeModel = new LlamaCodeModel(model, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = threads, ContextSize = Math.Min(model.TrainedContextLength, 4096), Sequences = 1 } }))
        {
            var cold = new List<double>();
            var reused = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var first = RandomTokens(1000);
                var second = first[..990].Concat(RandomTokens(10)).ToArray();
                cold.Add((await LastUsageAsync(codeModel, first, cancellationToken).ConfigureAwait(false)).PromptMilliseconds);
                reused.Add((await LastUsageAsync(codeModel, second, cancellationToken).ConfigureAwait(false)).PromptMilliseconds);
            }
            reuse = new PrefixReuse(Median(cold), Median(reused));
        }
        return new BenchmarkResult(modelPath, threads, model.Backend.Name, median, native, reuse, rounds);
    }

    /// <summary>pp512 then tg128, each in its own context and on that context's decode thread, as llama-bench runs both on
    /// its one main thread; tokens/s is the mean of the repetitions' rates, as llama-bench's avg_ts is.</summary>
    private static async Task<Throughput> MeasureOursAsync(LlamaModel model, int threads, Random random, CancellationToken cancellationToken)
    {
        int[] RandomTokens(int count) => Enumerable.Range(0, count).Select(_ => random.Next(model.VocabularySize)).ToArray();
        double prompt;
        using (var context = new LlamaContext(model, new LlamaContextOptions { ContextSize = PromptTokens, Threads = threads, BatchSize = 2048, MicroBatchSize = 512, Sequences = 1 }))
        {
            var tokens = RandomTokens(PromptTokens);
            prompt = await context.RunAsync(() =>
            {
                context.Decode(tokens, 0, 0); // warm-up
                var rates = new double[Repetitions];
                for (var i = 0; i < Repetitions; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    context.ClearAll();
                    var started = Stopwatch.GetTimestamp();
                    context.Decode(tokens, 0, 0);
                    rates[i] = PromptTokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
                }
                return rates.Average();
            }, cancellationToken).ConfigureAwait(false);
        }
        double generation;
        using (var context = new LlamaContext(model, new LlamaContextOptions { ContextSize = GeneratedTokens, Threads = threads, BatchSize = 2048, MicroBatchSize = 512, Sequences = 1 }))
        {
            var first = model.AddBos && model.Bos >= 0 ? model.Bos : random.Next(model.VocabularySize);
            generation = await context.RunAsync(() =>
            {
                void Generate()
                {
                    var token = first;
                    for (var position = 0; position < GeneratedTokens; position++)
                    {
                        context.Decode([token], position, 0);
                        token = context.ArgMaxLastLogits();
                    }
                }
                Generate(); // warm-up
                var rates = new double[Repetitions];
                for (var i = 0; i < Repetitions; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    context.ClearAll();
                    var started = Stopwatch.GetTimestamp();
                    Generate();
                    rates[i] = GeneratedTokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
                }
                return rates.Average();
            }, cancellationToken).ConfigureAwait(false);
        }
        return new Throughput(prompt, generation);
    }

    /// <summary>The middle value; of an even count, the mean of the two middle ones.</summary>
    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static async Task<Usage> LastUsageAsync(LlamaCodeModel model, int[] tokens, CancellationToken cancellationToken)
    {
        var usage = Usage.Empty;
        await foreach (var chunk in model.CompleteAsync(new CompletionRequest { PromptTokens = tokens, MaxTokens = 1, CacheKey = "bench" }, cancellationToken).ConfigureAwait(false))
        {
            usage = chunk.Usage;
        }
        return usage;
    }

    /// <summary>Runs bin/llama-bench -m PATH -t N -p 512 -n 128 -o json; null when it was not built.</summary>
    public static async Task<Throughput?> RunLlamaBenchAsync(string modelPath, int threads, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(LlamaLibrary.InstallDirectory, "bin", "llama-bench");
        if (!File.Exists(executable))
        {
            return null;
        }
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-m", modelPath, "-t", threads.ToString(CultureInfo.InvariantCulture), "-p", "512", "-n", "128", "-o", "json" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new ModelException($"Could not start {executable}.");
        var errorTask = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var error = await errorTask.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ModelException($"llama-bench failed with exit code {process.ExitCode}.", error.Length > 2000 ? error[^2000..] : error);
        }
        using var document = JsonDocument.Parse(output);
        double prompt = 0, generation = 0;
        foreach (var test in document.RootElement.EnumerateArray())
        {
            var nPrompt = test.GetProperty("n_prompt").GetInt32();
            var nGen = test.GetProperty("n_gen").GetInt32();
            var tokensPerSecond = test.GetProperty("avg_ts").GetDouble();
            if (nPrompt > 0 && nGen == 0)
            {
                prompt = tokensPerSecond;
            }
            else if (nGen > 0 && nPrompt == 0)
            {
                generation = tokensPerSecond;
            }
        }
        return new Throughput(prompt, generation);
    }
}
