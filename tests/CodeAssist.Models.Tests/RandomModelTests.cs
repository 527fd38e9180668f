namespace CodeAssist.Models.Tests;

/// <summary>The random-weight writer's other paths: F16 matrices and grouped KV heads, as the realistic shape uses.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class RandomModelTests(TinyModel tiny)
{
    [Fact]
    public async Task An_f16_model_with_grouped_kv_heads_loads_and_generates_the_same_tokens_each_time()
    {
        var shape = new RandomModelShape("f16-gqa", 128, 2, 4, 2, 256, F16: true, 1024);
        var path = Path.Combine(tiny.Directory, "f16-gqa.gguf");
        RandomModel.Write(path, shape, RandomModel.VocabularyPath("deepseek-coder"));
        var header = Gguf.GgufFile.Read(path);
        Assert.Equal(2L, header.GetInteger("llama.attention.head_count_kv"));

        async Task<string> GenerateAsync()
        {
            await using var model = LlamaCodeModel.Open(path, new LlamaCodeModelOptions { Context = new LlamaContextOptions { ContextSize = 512, Threads = 1 } });
            Assert.Equal("DeepSeekCoder", model.Description.FimFamily);
            var text = "";
            await foreach (var chunk in model.CompleteAsync(new CompletionRequest { Prompt = "int main() {", MaxTokens = 8 }, CancellationToken.None))
            {
                text += chunk.Text;
            }
            return text;
        }

        var first = await GenerateAsync();
        Assert.NotEmpty(first);
        Assert.Equal(first, await GenerateAsync());
    }

    [Fact]
    public void A_missing_vocabulary_is_a_clear_error()
    {
        var error = Assert.Throws<ModelException>(() => RandomModel.Write(Path.Combine(tiny.Directory, "x.gguf"), RandomModelShape.Tiny, "/no/such/vocab.gguf"));
        Assert.Contains("eng/llama/build.sh", error.Message);
    }
}
