using CodeAssist.Models.Gguf;

namespace CodeAssist.Models.Tests;

/// <summary>
/// A tiny random-weight llama GGUF (2 layers, n_embd 64, 4 heads, n_ctx_train 2048) whose tokenizer is copied from
/// llama.cpp's starcoder vocabulary file (FIM tokens 1–4), written once per test run. Real llama.cpp loads, tokenizes
/// and decodes it; the text it generates is noise, but deterministic noise.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public const int EmbeddingLength = 64;
    public const int Layers = 2;
    public const int Heads = 4;
    public const int TrainedContext = 2048;

    public TinyModel()
    {
        // CODEASSIST_TINY_MODEL_DIR keeps the files after the run, with a larger one beside (to point llama-bench or the CLI at them).
        _keep = Environment.GetEnvironmentVariable("CODEASSIST_TINY_MODEL_DIR") is { Length: > 0 };
        Directory = _keep
            ? Environment.GetEnvironmentVariable("CODEASSIST_TINY_MODEL_DIR")!
            : Path.Combine(Path.GetTempPath(), $"codeassist-models-tests-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(Directory);
        VocabPath = Path.Combine(LlamaLibrary.InstallDirectory, "vocab", "ggml-vocab-starcoder.gguf");
        if (!File.Exists(VocabPath))
        {
            throw new InvalidOperationException(
                $"llama.cpp is not built: {VocabPath} is missing. Run eng/llama/build.sh (or set CODEASSIST_LLAMA_DIR to its output).");
        }
        Path_ = Path.Combine(Directory, "tiny-starcoder.gguf");
        Write(Path_, "llama");
        var small = Path.Combine(Directory, "small-starcoder.gguf");
        if (_keep && !File.Exists(small))
        {
            // For `codeassist bench model`: 512 wide, 8 layers, about 51M parameters, where per-call costs matter less.
            Write(small, "llama", 512, 8, 8);
        }
    }

    private readonly bool _keep;

    public string Directory { get; }
    public string VocabPath { get; }
    // "Path" would hide System.IO.Path inside this type.
    private string Path_ { get; }
    public string ModelPath => Path_;

    /// <summary>Writes the tiny model with the given architecture name (an unknown one makes an unloadable file).</summary>
    public void Write(string path, string architecture) => Write(path, architecture, EmbeddingLength, Layers, Heads);

    /// <summary>Writes a random-weight model of any size (the benchmark's "small" model is 512 wide and 8 layers deep).</summary>
    public void Write(string path, string architecture, int embeddingLength, int layers, int heads)
    {
        var vocab = GgufFile.Read(VocabPath);
        var tokenCount = ((GgufArray)vocab.Metadata["tokenizer.ggml.tokens"].Value).Items.Count;
        var writer = new GgufWriter()
            .Add("general.architecture", architecture)
            .Add("general.name", "tiny-starcoder-test")
            .Add($"{architecture}.context_length", (uint)TrainedContext)
            .Add($"{architecture}.embedding_length", (uint)embeddingLength)
            .Add($"{architecture}.block_count", (uint)layers)
            .Add($"{architecture}.feed_forward_length", (uint)(embeddingLength * 2))
            .Add($"{architecture}.attention.head_count", (uint)heads)
            .Add($"{architecture}.attention.head_count_kv", (uint)heads)
            .Add($"{architecture}.rope.dimension_count", (uint)(embeddingLength / heads))
            .Add($"{architecture}.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("general.file_type", 0u);
        foreach (var (key, value) in vocab.Metadata.Where(m => m.Key.StartsWith("tokenizer.", StringComparison.Ordinal)))
        {
            writer.Add(key, value);
        }
        var random = new Random(1234);
        float[] Random(int count, float scale)
        {
            var data = new float[count];
            for (var i = 0; i < count; i++)
            {
                data[i] = (float)(random.NextDouble() * 2 - 1) * scale;
            }
            return data;
        }
        float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();
        ulong e = (ulong)embeddingLength, f = (ulong)embeddingLength * 2;
        writer.AddTensor("token_embd.weight", [e, (ulong)tokenCount], Random(embeddingLength * tokenCount, 1f));
        writer.AddTensor("output_norm.weight", [e], Ones(embeddingLength));
        for (var layer = 0; layer < layers; layer++)
        {
            writer.AddTensor($"blk.{layer}.attn_norm.weight", [e], Ones(embeddingLength));
            writer.AddTensor($"blk.{layer}.attn_q.weight", [e, e], Random(embeddingLength * embeddingLength, 0.2f));
            writer.AddTensor($"blk.{layer}.attn_k.weight", [e, e], Random(embeddingLength * embeddingLength, 0.2f));
            writer.AddTensor($"blk.{layer}.attn_v.weight", [e, e], Random(embeddingLength * embeddingLength, 0.2f));
            writer.AddTensor($"blk.{layer}.attn_output.weight", [e, e], Random(embeddingLength * embeddingLength, 0.2f));
            writer.AddTensor($"blk.{layer}.ffn_norm.weight", [e], Ones(embeddingLength));
            writer.AddTensor($"blk.{layer}.ffn_gate.weight", [e, f], Random(embeddingLength * embeddingLength * 2, 0.2f));
            writer.AddTensor($"blk.{layer}.ffn_down.weight", [f, e], Random(embeddingLength * embeddingLength * 2, 0.2f));
            writer.AddTensor($"blk.{layer}.ffn_up.weight", [e, f], Random(embeddingLength * embeddingLength * 2, 0.2f));
        }
        writer.Write(path);
    }

    public void Dispose()
    {
        if (_keep)
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModel>
{
    public const string Name = "tiny model";
}
