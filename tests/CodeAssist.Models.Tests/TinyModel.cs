namespace CodeAssist.Models.Tests;

/// <summary>
/// A tiny random-weight llama GGUF (2 layers, n_embd 64, 4 heads, n_ctx_train 2048) whose tokenizer is copied from
/// llama.cpp's starcoder vocabulary file (FIM tokens 1–4), written once per test run. Real llama.cpp loads, tokenizes
/// and decodes it; the text it generates is noise, but deterministic noise.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public static readonly int TrainedContext = RandomModelShape.Tiny.ContextLength;

    public TinyModel()
    {
        // CODEASSIST_TINY_MODEL_DIR keeps the files after the run, with a larger one beside (to point llama-bench or the CLI at them).
        _keep = Environment.GetEnvironmentVariable("CODEASSIST_TINY_MODEL_DIR") is { Length: > 0 };
        Directory = _keep
            ? Environment.GetEnvironmentVariable("CODEASSIST_TINY_MODEL_DIR")!
            : Path.Combine(Path.GetTempPath(), $"codeassist-models-tests-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(Directory);
        VocabPath = RandomModel.VocabularyPath("starcoder");
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
            RandomModel.Write(small, RandomModelShape.Small, VocabPath);
        }
    }

    private readonly bool _keep;

    public string Directory { get; }
    public string VocabPath { get; }
    // "Path" would hide System.IO.Path inside this type.
    private string Path_ { get; }
    public string ModelPath => Path_;

    /// <summary>Writes the tiny model with the given architecture name (an unknown one makes an unloadable file).</summary>
    public void Write(string path, string architecture) => RandomModel.Write(path, RandomModelShape.Tiny, VocabPath, architecture);

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
