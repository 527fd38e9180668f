using CodeAssist.Features.Chat;
using CodeAssist.Models;

namespace CodeAssist.Features.Tests.Chat;

/// <summary>What a chat prompt holds and in which order, what it leaves out, and the inputs it refuses. Model-independent: these read the prompt.</summary>
public sealed class RepositoryChatTests
{
    private static ChatInput Ask(string question, params ChatMessage[] history) => new([.. history, new ChatMessage("user", question)]);

    [Fact]
    public async Task The_declaration_a_question_names_is_the_first_code_in_the_prompt_and_the_first_reference()
    {
        var solution = await TestSolution.CreateAsync(s => s.Write("docs/orders.md", "Orders count their lines; AddLine adds one per unit.\n"));
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("It adds the line count times."));

        var prompt = RepositoryChat.Prepare(bench, Ask("What does Order.AddLine do?"), CancellationToken.None);

        var system = prompt.Messages[0].Content;
        int declaration = system.IndexOf("src/Shop/Order.cs:8-11 (declares Order.AddLine, named in the question)", StringComparison.Ordinal);
        Assert.True(declaration > 0, system);
        Assert.True(declaration < system.IndexOf("docs/orders.md", StringComparison.Ordinal));
        Assert.Contains("for (int i = 0; i < count; i++) _lines.Add(sku);", system);
        Assert.Equal("What does Order.AddLine do?", prompt.Messages[^1].Content);
        var first = prompt.References[0];
        Assert.Equal((solution.PathOf("src/Shop/Order.cs"), 7, 10), (first.Path, first.Range.StartLine, first.Range.EndLine));
        Assert.Contains("void AddLine", File.ReadAllLines(first.Path)[first.Range.StartLine]);
    }

    [Fact]
    public async Task The_answer_streams_and_is_the_whole_of_what_streamed()
    {
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("AddLine adds a product's line once per unit."));
        var chunks = new List<string>();

        var answer = await RepositoryChat.AnswerAsync(bench, Ask("What does AddLine do?"), (text, _) => { chunks.Add(text); return Task.CompletedTask; }, CancellationToken.None);

        Assert.True(chunks.Count > 1);
        Assert.Equal(answer.Text, string.Concat(chunks));
        Assert.Equal((1, 1, 0), (bench.Counters.GenerationsStarted, bench.Counters.GenerationsFinished, bench.Counters.GenerationsCancelled));
        Assert.Equal(chunks.Count, bench.Counters.GeneratedTokens);
    }

    [Fact]
    public async Task Cancelling_stops_the_stream_and_counts_it_cancelled()
    {
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel(new string('x', 500)));
        using var cancellation = new CancellationTokenSource();
        int chunks = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RepositoryChat.AnswerAsync(bench, Ask("What does AddLine do?"), (_, _) =>
        {
            if (++chunks == 3) cancellation.Cancel();
            return Task.CompletedTask;
        }, cancellation.Token));

        Assert.Equal(3, chunks);
        Assert.Equal((1, 0, 1), (bench.Counters.GenerationsStarted, bench.Counters.GenerationsFinished, bench.Counters.GenerationsCancelled));
        Assert.Equal(3, bench.Counters.GeneratedTokens);
    }

    [Fact]
    public async Task The_oldest_turns_go_first_when_the_history_does_not_fit()
    {
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("ok") { Description = new("scripted", "test", 2048, null) });
        string Turn(int n) => $"turn {n} " + new string('t', 600);
        var history = Enumerable.Range(1, 6).Select(n => new ChatMessage(n % 2 == 1 ? "user" : "assistant", Turn(n))).ToArray();

        var prompt = RepositoryChat.Prepare(bench, Ask("And AddLine?", history), CancellationToken.None);

        var kept = prompt.Messages.Skip(1).SkipLast(1).Select(m => m.Content[..6]).ToArray();
        Assert.NotEmpty(kept);
        Assert.Equal(Enumerable.Range(7 - kept.Length, kept.Length).Select(n => $"turn {n}"), kept);
        Assert.True(prompt.PromptTokens <= 2048 - prompt.AnswerTokens);
    }

    [Fact]
    public async Task A_question_longer_than_the_window_is_refused_with_the_numbers()
    {
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("ok") { Description = new("scripted", "test", 2048, null) });

        var refused = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, Ask(new string('q', 20_000)), CancellationToken.None));

        Assert.Contains("the model's window of 2,048 tokens", refused.Message);
        Assert.EndsWith("shorten it.", refused.Message);
    }

    [Fact]
    public async Task Secrets_never_reach_the_prompt_and_a_secret_document_or_key_is_refused()
    {
        var solution = await TestSolution.CreateAsync(s =>
        {
            s.Write(".env", "SHOP_TOKEN=planted-env-value\n");
            s.Write("secrets.json", "{ \"ShopToken\": \"planted-json-value\" }\n");
            s.Write("deploy/shop.pem", "-----BEGIN PRIVATE KEY-----\nplantedpem\n-----END PRIVATE KEY-----\n");
        });
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("ok"));

        var prompt = RepositoryChat.Prepare(bench, Ask("Where are SHOP_TOKEN and ShopToken set, and what is in shop.pem?"), CancellationToken.None);
        var envSelection = new CodeSelection(solution.PathOf(".env"), "SHOP_TOKEN=planted-env-value\n", 0, 10, CodeLanguage.Unknown);
        var fromEnv = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, new ChatInput([new("user", "what is this?")], envSelection), CancellationToken.None));
        var pasted = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, Ask("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----"), CancellationToken.None));

        Assert.DoesNotContain(prompt.Messages, m => m.Content.Contains("planted", StringComparison.Ordinal));
        Assert.Equal(".env is never sent to a model (looks like a secret).", fromEnv.Message);
        Assert.StartsWith("A message holds a private key block", pasted.Message);
    }

    [Fact]
    public async Task Messages_must_end_with_the_user_s_question_and_use_known_roles()
    {
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("ok"));

        var noQuestion = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, new ChatInput([new("assistant", "hello")]), CancellationToken.None));
        var badRole = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, new ChatInput([new("tool", "x"), new("user", "why?")]), CancellationToken.None));

        Assert.Equal("The last message must be the user's question, and not empty.", noQuestion.Message);
        Assert.Equal("'tool' is not a role: messages are from 'user', 'assistant' or 'system'.", badRole.Message);
    }

    [Fact]
    public async Task A_selection_far_larger_than_the_window_is_refused_before_it_is_tokenized()
    {
        var huge = "class Huge {\n" + string.Concat(Enumerable.Repeat("    int field;\n", 400_000)) + "}\n";
        var solution = await TestSolution.CreateAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel("ok"));
        var selection = new CodeSelection(solution.PathOf("src/Shop/Huge.cs"), huge, 0, huge.Length, CodeLanguage.CSharp);

        var refused = Assert.Throws<FeatureException>(() => RepositoryChat.Prepare(bench, new ChatInput([new("user", "what is this?")], selection), CancellationToken.None));

        Assert.Contains("is far larger than the model's window", refused.Message);
        Assert.True(huge.Length > 5_000_000);
    }
}
