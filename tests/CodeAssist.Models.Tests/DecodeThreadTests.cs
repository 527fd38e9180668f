namespace CodeAssist.Models.Tests;

/// <summary>A context computes on its own thread, so ggml's OpenMP workers belong to that one thread and end with it.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class DecodeThreadTests(TinyModel tiny)
{
    private LlamaContext NewContext(LlamaModel model) => new(model, new LlamaContextOptions { ContextSize = 256, Threads = 2, Sequences = 1 });

    /// <summary>Threads of this process with the given name (Linux keeps it in /proc; new threads inherit their creator's).</summary>
    private static int ThreadsNamed(string name) =>
        Directory.GetDirectories("/proc/self/task").Count(task => File.Exists(Path.Combine(task, "comm")) && ReadName(task) == name);

    private static string? ReadName(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // the thread ended while we looked
        }
    }

    [Fact]
    public async Task Decoding_is_refused_off_the_contexts_thread_and_runs_on_it()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        using var context = NewContext(model);
        var tokens = model.Tokenize("int x = 1;");

        var refused = Assert.Throws<InvalidOperationException>(() => context.Decode(tokens, 0, 0));
        Assert.Contains("RunAsync", refused.Message);

        var token = await context.RunAsync(() =>
        {
            context.Decode(tokens, 0, 0);
            return context.ArgMaxLastLogits();
        }, CancellationToken.None);
        Assert.InRange(token, 0, model.VocabularySize - 1);
        Assert.Equal(tokens.Length - 1, context.LastPosition(0));
    }

    [Fact]
    public async Task All_work_runs_on_one_thread_that_ends_with_the_context()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        var context = NewContext(model);
        var threads = new List<Thread>();
        for (var i = 0; i < 3; i++)
        {
            threads.Add(await context.RunAsync(() => Thread.CurrentThread, CancellationToken.None));
        }
        Assert.Single(threads.Distinct());
        Assert.NotSame(Thread.CurrentThread, threads[0]);
        Assert.Equal(context.DecodeThreadName, threads[0].Name);

        context.Dispose();

        Assert.False(threads[0].IsAlive);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => context.RunAsync(() => 0, CancellationToken.None));
    }

    [Fact]
    public async Task Work_queued_with_a_cancelled_token_never_runs_and_failures_reach_the_caller()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        using var context = NewContext(model);
        var ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.RunAsync(() => ran = true, new CancellationToken(canceled: true)));
        var failure = await Assert.ThrowsAsync<ModelException>(() => context.RunAsync(() => throw new ModelException("boom"), CancellationToken.None));

        Assert.False(ran);
        Assert.Equal("boom", failure.Message);
        Assert.Equal(42, await context.RunAsync(() => 42, CancellationToken.None)); // the thread survives a failed item
    }

    [Fact]
    public async Task Requests_reuse_the_decode_thread_and_its_workers_instead_of_starting_new_ones()
    {
        await using var model = LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions
        {
            Context = new LlamaContextOptions { Threads = 2, Sequences = 1, ContextSize = 256 },
        });
        var name = model.Context.DecodeThreadName;
        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await foreach (var _ in model.CompleteAsync(new CompletionRequest { Prompt = $"int f{i}() {{", MaxTokens = 4 }, CancellationToken.None))
            {
            }
            counts.Add(ThreadsNamed(name));
        }
        // The decode thread, plus one OpenMP worker when ggml was built with OpenMP (its own pool is made elsewhere otherwise).
        Assert.All(counts, count => Assert.InRange(count, 1, 2));
        Assert.Single(counts.Distinct());
    }
}
