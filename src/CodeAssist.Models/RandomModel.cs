using CodeAssist.Models.Gguf;

namespace CodeAssist.Models;

/// <summary>
/// The size of a random-weight llama-architecture model. <see cref="Coder05B"/> has the dimensions of a real 0.5B code
/// model (Qwen2.5-Coder-0.5B: 24 layers, 896 wide, 14 heads, 2 KV heads, F16), so per-token costs are realistic.
/// </summary>
public sealed record RandomModelShape(string Name, int EmbeddingLength, int Layers, int Heads, int KvHeads, int FeedForwardLength, bool F16, int ContextLength)
{
    public static RandomModelShape Tiny { get; } = new("tiny", 64, 2, 4, 4, 128, false, 2048);
    public static RandomModelShape Small { get; } = new("small", 512, 8, 8, 8, 1024, false, 2048);
    public static RandomModelShape Coder05B { get; } = new("coder-0.5b", 896, 24, 14, 2, 4864, true, 32768);

    public static IReadOnlyList<RandomModelShape> All { get; } = [Tiny, Small, Coder05B];

    public static RandomModelShape? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Writes a GGUF with random weights and a real tokenizer copied from one of llama.cpp's vocabulary files, so loading,
/// tokenizing, FIM assembly, decoding, sampling, streaming, cancellation and cache reuse all run for real where no trained
/// weights can be had. What it generates is noise, but deterministic noise: the same shape and vocabulary give the same file.
/// </summary>
public static class RandomModel
{
    /// <summary>The vocabulary files llama.cpp ships (<c>vocab/ggml-vocab-NAME.gguf</c> under the install directory).</summary>
    public static string VocabularyPath(string name) => Path.Combine(LlamaLibrary.InstallDirectory, "vocab", $"ggml-vocab-{name}.gguf");

    /// <param name="architecture">Written as <c>general.architecture</c>; anything but "llama" makes a file llama.cpp refuses.</param>
    public static void Write(string path, RandomModelShape shape, string vocabularyPath, string architecture = "llama")
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!File.Exists(vocabularyPath))
        {
            throw new ModelException($"The vocabulary file {vocabularyPath} is missing: run eng/llama/build.sh, which installs llama.cpp's vocabularies.");
        }
        var vocabulary = GgufFile.Read(vocabularyPath);
        var tokenCount = (ulong)((GgufArray)vocabulary.Metadata["tokenizer.ggml.tokens"].Value).Items.Count;
        var headDimension = shape.EmbeddingLength / shape.Heads;
        var writer = new GgufWriter()
            .Add("general.architecture", architecture)
            .Add("general.name", $"random-{shape.Name}-{Path.GetFileNameWithoutExtension(vocabularyPath).Replace("ggml-vocab-", "")}")
            .Add($"{architecture}.context_length", (uint)shape.ContextLength)
            .Add($"{architecture}.embedding_length", (uint)shape.EmbeddingLength)
            .Add($"{architecture}.block_count", (uint)shape.Layers)
            .Add($"{architecture}.feed_forward_length", (uint)shape.FeedForwardLength)
            .Add($"{architecture}.attention.head_count", (uint)shape.Heads)
            .Add($"{architecture}.attention.head_count_kv", (uint)shape.KvHeads)
            .Add($"{architecture}.rope.dimension_count", (uint)headDimension)
            .Add($"{architecture}.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("general.file_type", shape.F16 ? 1u : 0u);
        foreach (var (key, value) in vocabulary.Metadata.Where(m => m.Key.StartsWith("tokenizer.", StringComparison.Ordinal)))
        {
            writer.Add(key, value);
        }
        ulong e = (ulong)shape.EmbeddingLength, kv = (ulong)(shape.KvHeads * headDimension), f = (ulong)shape.FeedForwardLength;
        var seed = 1234;
        TensorFill Noise(float scale) => TensorFill.Noise(scale, seed++);
        // Large matrices in F16 when the shape says so; norms stay F32, as converted models have them.
        writer.AddTensor("token_embd.weight", [e, tokenCount], Noise(1f), shape.F16);
        writer.AddTensor("output_norm.weight", [e], TensorFill.One);
        for (var layer = 0; layer < shape.Layers; layer++)
        {
            writer.AddTensor($"blk.{layer}.attn_norm.weight", [e], TensorFill.One);
            writer.AddTensor($"blk.{layer}.attn_q.weight", [e, e], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.attn_k.weight", [e, kv], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.attn_v.weight", [e, kv], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.attn_output.weight", [e, e], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.ffn_norm.weight", [e], TensorFill.One);
            writer.AddTensor($"blk.{layer}.ffn_gate.weight", [e, f], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.ffn_down.weight", [f, e], Noise(0.2f), shape.F16);
            writer.AddTensor($"blk.{layer}.ffn_up.weight", [e, f], Noise(0.2f), shape.F16);
        }
        // Written beside and renamed, so a reader never sees half a model.
        var partial = path + ".partial";
        writer.Write(partial);
        File.Move(partial, path, overwrite: true);
    }
}
