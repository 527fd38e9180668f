// llama-bench's pp512 and tg128, run through LLamaSharp 0.30.0 and its bundled CPU library, on one thread of the
// process (as llama-bench runs them). Prints one JSON object per round to stdout; usage and progress go to stderr.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;

if (args.Length < 2 || !File.Exists(args[0]) || !int.TryParse(args[1], out var threads) || threads < 1)
{
    Console.Error.WriteLine("usage: LlamaSharpBench MODEL.gguf THREADS [ROUNDS]");
    return 2;
}
var modelPath = Path.GetFullPath(args[0]);
var rounds = args.Length > 2 && int.TryParse(args[2], out var r) ? r : 1;
const int PromptTokens = 512, GeneratedTokens = 128, Repetitions = 5;

var loaded = new List<string>();
NativeLibraryConfig.All.WithLogCallback((level, message) =>
{
    if (message.Contains("library", StringComparison.OrdinalIgnoreCase) && message.Contains(".so", StringComparison.Ordinal))
    {
        loaded.Add(message.Trim());
    }
});

var parameters = new ModelParams(modelPath)
{
    Threads = threads,
    BatchThreads = threads,
    BatchSize = 2048,
    UBatchSize = 512,
    GpuLayerCount = 0,
};
using var weights = LLamaWeights.LoadFromFile(parameters);
var vocabularySize = weights.Vocab.Count;
var random = new Random(42);

// Mean of the repetitions' rates, after one warm-up, in a context of exactly the tokens the test needs; also tokens per
// second of the process's CPU time, which a loaded machine disturbs far less than wall time (with one thread only:
// OpenMP workers spin while they wait).
(double PerSecond, double PerCpuSecond) Measure(uint contextSize, int tokens, Action<SafeLLamaContextHandle> warmUp, Action<SafeLLamaContextHandle> run)
{
    using var context = weights.CreateContext(new ModelParams(modelPath)
    {
        ContextSize = contextSize, Threads = threads, BatchThreads = threads, BatchSize = 2048, UBatchSize = 512,
    });
    var handle = context.NativeHandle;
    warmUp(handle);
    var rates = new double[Repetitions];
    var cpu = TimeSpan.Zero;
    for (var i = 0; i < Repetitions; i++)
    {
        handle.MemoryClear(false);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        run(handle);
        rates[i] = tokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
        cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    }
    return (rates.Average(), tokens * Repetitions / cpu.TotalSeconds);
}

void Check(DecodeResult result)
{
    if (result != DecodeResult.Ok)
    {
        throw new InvalidOperationException($"llama_decode returned {result}");
    }
}

void Prompt(SafeLLamaContextHandle handle)
{
    var batch = new LLamaBatch();
    for (var i = 0; i < PromptTokens; i++)
    {
        batch.Add(random.Next(vocabularySize), i, LLamaSeqId.Zero, i == PromptTokens - 1);
    }
    Check(handle.Decode(batch));
    handle.Synchronize();
}

void Generate(SafeLLamaContextHandle handle, int count)
{
    var batch = new LLamaBatch();
    var token = random.Next(vocabularySize);
    for (var i = 0; i < count; i++)
    {
        batch.Clear();
        batch.Add(token, i, LLamaSeqId.Zero, true);
        Check(handle.Decode(batch));
        handle.Synchronize();
        token = random.Next(vocabularySize);
    }
}

for (var round = 0; round < rounds; round++)
{
    var prompt = Measure(PromptTokens, PromptTokens, Prompt, Prompt);
    var generation = Measure(GeneratedTokens, GeneratedTokens, handle => Generate(handle, 1), handle => Generate(handle, GeneratedTokens));
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        library = "LLamaSharp 0.30.0 + LLamaSharp.Backend.Cpu 0.30.0",
        model = modelPath,
        threads,
        promptTokensPerSecond = Math.Round(prompt.PerSecond, 2),
        generationTokensPerSecond = Math.Round(generation.PerSecond, 2),
        promptTokensPerCpuSecond = Math.Round(prompt.PerCpuSecond, 2),
        generationTokensPerCpuSecond = Math.Round(generation.PerCpuSecond, 2),
        llamaModelParamsBytes = Unsafe.SizeOf<LLamaModelParams>(),
        llamaContextParamsBytes = Unsafe.SizeOf<LLamaContextParams>(),
        nativeLibrary = loaded.LastOrDefault(),
        systemInfo = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim(),
    }));
}
return 0;
