using CodeAssist.Features.Completion;
using CodeAssist.Models;
using CodeAssist.Models.Tests;

namespace CodeAssist.Features.Tests.Completion;

/// <summary>
/// The completion service on real llama.cpp with the tiny random-weight model: what it generates is noise, but where it
/// comes from (model, cache, nothing), what cancels what, and what the counters say are exact.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class CompletionServiceTests(TinyModel tiny)
{
    private const string Key = "file:///work/app/Program.cs";
    private static readonly CompletionOptions s_options = new() { MaxTokens = 24, DebounceMs = 0 };

    private LlamaCodeModel Open(int contextSize = 2048) =>
        LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 1, ContextSize = contextSize } });

    /// <summary>A query at <c>$0</c>; no path, so no context engine is involved.</summary>
    private static CompletionQuery Query(string document, bool invoked = true, string language = "csharp")
    {
        var cursor = document.IndexOf("$0", StringComparison.Ordinal);
        var text = document.Remove(cursor, 2);
        return new CompletionQuery
        {
            DocumentKey = Key,
            Text = text,
            Offset = cursor,
            Line = text[..cursor].Count(c => c == '\n'),
            Character = cursor - (text.LastIndexOf('\n', Math.Max(0, cursor - 1)) + 1),
            LanguageId = language,
            Invoked = invoked,
        };
    }

    private const string Document = "class Program\n{\n    static int Twice(int x)\n    {\n        return $0\n    }\n}\n";

    /// <summary>The document with the first <paramref name="count"/> characters of <paramref name="suggestion"/> typed at the cursor.</summary>
    private static string Typed(Suggestion suggestion, string document, int count)
    {
        var cursor = document.IndexOf("$0", StringComparison.Ordinal);
        var typedBefore = cursor - suggestion.Start;
        return document.Insert(cursor, suggestion.InsertText.Substring(typedBefore, count));
    }

    [Fact]
    public async Task An_invoked_request_answers_distinct_suggestions_starting_at_the_cursor()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        var query = Query(Document);

        var answer = await service.CompleteAsync(query, s_options, model, null, CancellationToken.None);

        Assert.Equal(AnswerKind.Model, answer.Kind);
        Assert.InRange(answer.Suggestions.Count, 1, 3);
        Assert.Equal(answer.Suggestions.Count, answer.Suggestions.Select(s => s.InsertText).Distinct().Count());
        Assert.All(answer.Suggestions, s => Assert.Equal(query.Offset, s.Start));
        Assert.All(answer.Suggestions, s => Assert.DoesNotContain('\n', s.InsertText)); // "return |" takes one line
        var counts = service.Counts;
        Assert.Equal(3, counts.GenerationsStarted);
        Assert.Equal(3, counts.GenerationsFinished);
        Assert.Equal(1, counts.Requests);
    }

    [Fact]
    public async Task Typing_through_a_suggestion_and_backspacing_answer_from_the_cache_without_the_model()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        var first = await service.CompleteAsync(Query(Document), s_options, model, null, CancellationToken.None);
        var suggestion = first.Suggestions[0];
        Assert.True(suggestion.InsertText.Length >= 2, $"'{suggestion.InsertText}'");
        var generations = service.Counts.GenerationsStarted;

        var typedQuery = Query(Typed(suggestion, Document, 1));
        var typed = await service.CompleteAsync(typedQuery, s_options, model, null, CancellationToken.None);
        var backspaced = await service.CompleteAsync(Query(Document), s_options, model, null, CancellationToken.None);

        Assert.Equal(AnswerKind.Cache, typed.Kind);
        var rest = typed.Suggestions[0];
        Assert.Equal(suggestion.InsertText[1..], rest.InsertText[(typedQuery.Offset - rest.Start)..]);
        Assert.Equal(AnswerKind.Cache, backspaced.Kind);
        Assert.Equal(first.Suggestions.Select(s => s.InsertText), backspaced.Suggestions.Select(s => s.InsertText));
        Assert.Equal(generations, service.Counts.GenerationsStarted);
        Assert.Equal(2, service.Counts.AnsweredFromCache);
    }

    [Fact]
    public async Task A_newer_request_cancels_the_older_which_answers_an_empty_list()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        service.Edited(Key);
        // The automatic request waits a minute before generating; the invoked one right after supersedes it.
        var older = service.CompleteAsync(Query(Document, invoked: false), s_options with { DebounceMs = 60_000 }, model, null, CancellationToken.None);
        var newer = await service.CompleteAsync(Query(Document.Replace("$0", "x + $0", StringComparison.Ordinal)), s_options, model, null, CancellationToken.None);

        var cancelled = await older;

        Assert.Equal(AnswerKind.Cancelled, cancelled.Kind);
        Assert.Empty(cancelled.Suggestions);
        Assert.NotEqual(AnswerKind.Cancelled, newer.Kind);
        Assert.Equal(1, service.Counts.Cancelled);
    }

    [Fact]
    public async Task The_clients_cancellation_is_an_OperationCanceledException_and_is_counted()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        service.Edited(Key);
        using var cancellation = new CancellationTokenSource();
        var waiting = service.CompleteAsync(Query(Document, invoked: false), s_options with { DebounceMs = 60_000 }, model, null, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, service.Counts.Cancelled);
    }

    [Fact]
    public async Task Without_a_model_or_for_a_disabled_language_the_answer_is_empty_at_once()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });

        var noModel = await service.CompleteAsync(Query(Document), s_options, null, null, CancellationToken.None);
        var disabled = await service.CompleteAsync(Query(Document, language: "markdown"), s_options with { Languages = ["csharp"] }, model, null, CancellationToken.None);
        var off = await service.CompleteAsync(Query(Document), s_options with { Enabled = false }, model, null, CancellationToken.None);

        Assert.Equal(AnswerKind.Unavailable, noModel.Kind);
        Assert.Equal(AnswerKind.Disabled, disabled.Kind);
        Assert.Equal(AnswerKind.Disabled, off.Kind);
        Assert.Equal(0, service.Counts.GenerationsStarted);
        Assert.Equal(3, service.Counts.Requests);
    }

    [Fact]
    public async Task While_an_automatic_request_waits_the_prompts_stable_part_is_evaluated_into_the_kv_cache()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        service.Edited(Key);
        using var cancellation = new CancellationTokenSource();
        var query = Query(Document, invoked: false);
        var waiting = service.CompleteAsync(query, s_options with { DebounceMs = 60_000 }, model, null, cancellation.Token);
        while (service.Counts.PromptTokens == 0)
        {
            await Task.Delay(10); // the warming reports its tokens when it is done
        }
        var warmed = service.Counts.PromptTokens;
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        // The whole prompt (the suffix after the warmed part) finds everything before the suffix in the cache.
        var prompt = service.Prompt(query, [], model.Description.ContextSize, s_options, model.CountTokens);
        Usage? usage = null;
        await foreach (var chunk in model.CompleteAsync(new CompletionRequest { Fim = prompt, MaxTokens = 1, CacheKey = Key }, CancellationToken.None))
        {
            usage = chunk.Usage;
        }

        Assert.Equal(0, service.Counts.GenerationsStarted);
        Assert.True(usage!.ReusedPromptTokens >= warmed - 2, $"reused {usage.ReusedPromptTokens} of {usage.PromptTokens}; {warmed} were warmed");
        Assert.True(usage.PromptTokens > warmed, "the suffix comes after the warmed part");
    }

    [Fact]
    public async Task A_shown_suggestion_makes_the_next_one_as_if_it_were_accepted()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        var first = await service.CompleteAsync(Query(Document), s_options, model, null, CancellationToken.None);
        var suggestion = first.Suggestions[0];

        service.Shown(suggestion.Id);
        await service.GetTestAccessor().BackgroundWork;
        var afterAccepting = await service.CompleteAsync(Query(Typed(suggestion, Document, suggestion.InsertText.Length - (Document.IndexOf("$0", StringComparison.Ordinal) - suggestion.Start))), s_options, model, null, CancellationToken.None);

        var counts = service.Counts;
        Assert.Equal(1, counts.Shown);
        Assert.Equal(counts.GenerationsStarted, counts.GenerationsFinished);
        // The speculation found nothing worth showing (noise can end anywhere) or it is what the cache answers now.
        Assert.True(afterAccepting.Kind == AnswerKind.Cache || counts.GenerationsStarted == first.Suggestions.Count + 2,
            $"{afterAccepting.Kind}, {counts.GenerationsStarted} generations");
    }

    [Fact]
    public async Task Accepted_characters_count_only_what_was_new()
    {
        await using var model = Open();
        var service = new CompletionService(_ => { });
        var answer = await service.CompleteAsync(Query(Document.Replace("return $0", "return Tw$0", StringComparison.Ordinal)), s_options, model, null, CancellationToken.None);
        var suggestion = answer.Suggestions[0];
        Assert.StartsWith("Tw", suggestion.InsertText); // the range starts at the word being typed

        service.PartiallyAccepted(suggestion.Id, 3);
        service.Accepted(suggestion.Id);

        var counts = service.Counts;
        Assert.Equal(1, counts.PartiallyAccepted);
        Assert.Equal(1, counts.Accepted);
        Assert.Equal(suggestion.InsertText.Length - 2, counts.AcceptedCharacters);
    }

    [Fact]
    public async Task A_document_longer_than_the_window_is_fitted_and_still_answers()
    {
        await using var model = Open(contextSize: 256);
        var service = new CompletionService(_ => { });
        var body = string.Concat(Enumerable.Range(0, 2000).Select(i => $"        var value{i} = Compute({i});\n"));
        var query = Query(Document.Replace("        return $0", body + "        return $0", StringComparison.Ordinal));

        var answer = await service.CompleteAsync(query, s_options, model, null, CancellationToken.None);

        Assert.Contains(answer.Kind, new[] { AnswerKind.Model, AnswerKind.Nothing });
        Assert.Equal(3, service.Counts.GenerationsFinished);
        Assert.InRange(service.Counts.PromptTokens / 3, 100, 256 - s_options.MaxTokens - 1);
    }
}
