using CodeAssist.Models.Gguf;

namespace CodeAssist.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class BadFileTests(TinyModel tiny)
{
    private string TempFile(string name) => Path.Combine(tiny.Directory, $"{Guid.NewGuid():N}-{name}");

    private void LoadStillWorks()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        Assert.Equal("llama", model.Architecture);
    }

    [Fact]
    public void MissingFile()
    {
        var path = TempFile("missing.gguf");
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains("not found", error.Message);
        Assert.Contains(path, error.Message);
        LoadStillWorks();
    }

    [Fact]
    public void TruncatedFile()
    {
        var path = TempFile("truncated.gguf");
        var bytes = File.ReadAllBytes(tiny.ModelPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains("truncated", error.Message);
        LoadStillWorks();
    }

    [Fact]
    public void FileCutInsideTheHeader()
    {
        var path = TempFile("header-cut.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(tiny.ModelPath)[..1000]);
        var error = Assert.Throws<ModelException>(() => ModelInspector.Inspect(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TextFileNamedGguf()
    {
        var path = TempFile("notes.gguf");
        File.WriteAllText(path, "This is not a model, just some notes.\n");
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains("not a GGUF model file", error.Message);
        LoadStillWorks();
    }

    [Theory]
    [InlineData(3u, ulong.MaxValue, 0UL, "corrupted")]
    [InlineData(1u, 0UL, 0UL, "version 1")]
    [InlineData(3u, 0UL, 5UL, "truncated")]
    public void CorruptedHeaders(uint version, ulong tensors, ulong metadata, string expected)
    {
        var path = TempFile("corrupt.gguf");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write(GgufFile.Magic);
            writer.Write(version);
            writer.Write(tensors);
            writer.Write(metadata);
        }
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains(expected, error.Message);
        LoadStillWorks();
    }

    [Fact]
    public void EmptyFile()
    {
        var path = TempFile("empty.gguf");
        File.WriteAllBytes(path, []);
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void UnsupportedArchitectureCarriesLlamasReason()
    {
        var path = TempFile("alien.gguf");
        tiny.Write(path, "alienformer");
        var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
        Assert.Contains("alienformer", error.Message);
        Assert.Contains("does not support", error.Message);
        Assert.NotNull(error.NativeReason);
        Assert.Contains("unknown model architecture", error.NativeReason);
        LoadStillWorks();
    }

    [Fact]
    public void ModelLargerThanMemory()
    {
        // A sparse file: the tiny model followed by a hole larger than this machine's memory; nothing is written to disk.
        var path = TempFile("huge.gguf");
        File.Copy(tiny.ModelPath, path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length + (1L << 40));
        }
        try
        {
            var error = Assert.Throws<ModelException>(() => LlamaModel.Load(path));
            Assert.Contains("memory", error.Message);
            Assert.Contains("smaller", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
        LoadStillWorks();
    }

    [Fact]
    public void InspectorReadsTheHeaderWithoutLoading()
    {
        var info = ModelInspector.Inspect(tiny.ModelPath);
        Assert.Equal("llama", info.Architecture);
        Assert.Equal("random-tiny-starcoder", info.Name);
        Assert.Equal(TinyModel.TrainedContext, info.ContextLength);
        Assert.Equal(new FileInfo(tiny.ModelPath).Length, info.FileSizeBytes);
        Assert.True(info.ParameterCount > 49152L * 64);
        Assert.Equal("<fim_prefix> (1)", info.FimTokens["prefix"]);
        Assert.Equal("<fim_middle> (2)", info.FimTokens["middle"]);
        Assert.Equal("<fim_suffix> (3)", info.FimTokens["suffix"]);
        Assert.Equal("<fim_pad> (4)", info.FimTokens["pad"]);
        Assert.Equal("StarCoder", info.FimFamily);
        Assert.Contains(info.Backend, new[] { "cpu", "cuda" });
    }

    [Fact]
    public void InspectorWorksOnAFileLlamaRefuses()
    {
        var path = TempFile("alien2.gguf");
        tiny.Write(path, "alienformer");
        var info = ModelInspector.Inspect(path);
        Assert.Equal("alienformer", info.Architecture);
        Assert.Equal(TinyModel.TrainedContext, info.ContextLength);
    }

    [Fact]
    public void InspectorOnVocabularyOnlyFiles()
    {
        var vocab = Path.Combine(LlamaLibrary.InstallDirectory, "vocab");
        Assert.Equal("DeepSeekCoder", ModelInspector.Inspect(Path.Combine(vocab, "ggml-vocab-deepseek-coder.gguf")).FimFamily);
        Assert.Null(ModelInspector.Inspect(Path.Combine(vocab, "ggml-vocab-qwen2.gguf")).FimFamily);
        Assert.Equal(0, ModelInspector.Inspect(Path.Combine(vocab, "ggml-vocab-starcoder.gguf")).ParameterCount);
    }

    [Fact]
    public void GgufReaderRoundTripsMetadataTypes()
    {
        var path = TempFile("types.gguf");
        new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("a.u32", 7u)
            .Add("a.f32", 1.5f)
            .Add("a.bool", new GgufValue(GgufType.Bool, true))
            .Add("a.i64", new GgufValue(GgufType.Int64, -5L))
            .Add("a.arr", new GgufValue(GgufType.Array, new GgufArray(GgufType.String, ["x", "y"])))
            .Write(path);
        var file = GgufFile.Read(path);
        Assert.Equal(3u, file.Version);
        Assert.Equal(7L, file.GetInteger("a.u32"));
        Assert.Equal(1.5f, file.Metadata["a.f32"].Value);
        Assert.Equal(1L, file.GetInteger("a.bool"));
        Assert.Equal(-5L, file.GetInteger("a.i64"));
        Assert.Equal(["x", "y"], ((GgufArray)file.Metadata["a.arr"].Value).Items);
    }
}
