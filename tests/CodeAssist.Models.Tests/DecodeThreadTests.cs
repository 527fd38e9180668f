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

    /// <summary>The nice values of this process's threads with the given name (field 19 of /proc's stat; the name,
    /// field 2, is in parentheses and may hold spaces).</summary>
    private static List<int> NiceOfThreadsNamed(string name)
    {
        var values = new List<int>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (ReadName(task) != name) continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                values.Add(int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture)); // field 19 of the line
            }
            catch (IOException)
            {
            }
        }
        return values;
    }

    [Fact]
    public async Task A_low_priority_context_computes_below_the_process_on_its_thread_and_its_workers()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        using var low = new LlamaContext(model, new LlamaContextOptions { ContextSize = 256, Threads = 2, Sequences = 1, LowPriority = true });
        using var normal = NewContext(model);
        var tokens = model.Tokenize("int x = 1;");
        foreach (var context in new[] { low, normal })
        {
            await context.RunAsync(() => context.Decode(tokens, 0, 0), CancellationToken.None); // starts the OpenMP workers
        }
        var own = NiceOfThreadsNamed(ReadName("/proc/self/task/" + Environment.ProcessId)!).Single();

        var lowered = NiceOfThreadsNamed(low.DecodeThreadName);
        Assert.NotEmpty(lowered);
        Assert.All(lowered, nice => Assert.Equal(Math.Max(own, 10), nice));
        Assert.All(NiceOfThreadsNamed(normal.DecodeThreadName), nice => Assert.Equal(own, nice));
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
