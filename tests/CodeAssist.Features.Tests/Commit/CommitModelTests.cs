using CodeAssist.Features.Commit;
using CodeAssist.Features.Prompts;
using CodeAssist.Git.Tests;
using CodeAssist.Models;

namespace CodeAssist.Features.Tests.Commit;

/// <summary>A random-weight model written once for these tests: real llama.cpp, a real tokenizer, noise for answers.</summary>
public sealed class RandomWeights : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codeassist-commit-model-").FullName;

    public LlamaCodeModel Model { get; private set; } = null!;

    public Task InitializeAsync()
    {
        string path = Path.Combine(_directory, "tiny.gguf");
        RandomModel.Write(path, RandomModelShape.Tiny, RandomModel.VocabularyPath("starcoder"));
        Model = LlamaCodeModel.Open(path, new LlamaCodeModelOptions { Context = new LlamaContextOptions { ContextSize = 2048, Threads = 1 } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Model.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The model is asked with the commit prompt; its noise is rejected and the subject written from the changes.</summary>
public sealed class CommitModelTests(RandomWeights weights) : IClassFixture<RandomWeights>
{
    private static TempRepository RenamedLend()
    {
        var repository = new TempRepository();
        repository.Write("src/LendingService.cs", "public sealed class LendingService\n{\n    public void Lend(int copy) { }\n}\n");
        repository.Commit("Add the lending service");
        repository.Write("src/LendingService.cs", "public sealed class LendingService\n{\n    public void Checkout(int copy) { }\n}\n");
        repository.Git("add -A");
        return repository;
    }

    [Fact]
    public async Task A_random_weight_models_answer_is_unusable_so_the_subject_comes_from_the_api_changes()
    {
        using var repository = RenamedLend();

        var message = await CommitMessageWriter.WriteAsync(repository.Root, weights.Model, PromptLibrary.BuiltIn, new CommitOptions(), CancellationToken.None);

        Assert.Equal("Rename LendingService.Lend to Checkout", message.Subject);
        Assert.False(message.FromModel);
        Assert.Contains(message.Notes, n => n.Contains("did not read as a commit message"));
        Assert.InRange(message.PromptTokens, 1, 2048 - new CommitOptions().AnswerTokens);
    }

    [Fact]
    public async Task A_cancelled_request_is_answered_as_cancelled()
    {
        using var repository = RenamedLend();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CommitMessageWriter.WriteAsync(repository.Root, weights.Model, PromptLibrary.BuiltIn, new CommitOptions(), cancellation.Token));
    }
}
