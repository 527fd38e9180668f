using System.Text;
using CodeAssist.Context;
using CodeAssist.Features.Completion;
using CodeAssist.Models;
using CodeAssist.Models.Tests;

namespace CodeAssist.Features.Tests.Completion;

/// <summary>
/// The completion prompt as the pipeline lays it out: golden text for every FIM family, golden tokens for the vocabularies
/// that have FIM tokens, and the property the layout exists for — consecutive requests share the prompt's start.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class PromptLayoutTests(TinyModel tiny)
{
    private const string Folder = "/work/shelf";

    private static readonly string s_document = """
        using Shelf.Core;

        namespace Shelf.Services;

        public sealed class Lending(ICatalog catalog)
        {
            public Loan Lend(Member member, string isbn)
            {
                var copy = catalog.FindCopy(isbn);
                return new Loan(member, $0
            }
        }

        """;

    private static readonly ContextItem[] s_items =
    [
        new($"{Folder}/src/Core/Loan.cs", new SourceSpan(2, 0, 9, 1), "type", "public sealed record Loan(Member Member, BookCopy Copy, DateOnly Due)"),
        new($"{Folder}/src/Core/ICatalog.cs", new SourceSpan(4, 4, 4, 40), "member", "BookCopy? FindCopy(string isbn);"),
    ];

    private static CompletionQuery Query(string document, string key = "file:///work/shelf/src/Services/Lending.cs")
    {
        var cursor = document.IndexOf("$0", StringComparison.Ordinal);
        var text = document.Remove(cursor, 2);
        var line = text[..cursor].Count(c => c == '\n');
        return new CompletionQuery
        {
            DocumentKey = key,
            Path = $"{Folder}/src/Services/Lending.cs",
            Text = text,
            Offset = cursor,
            Line = line,
            Character = cursor - (text.LastIndexOf('\n', Math.Max(0, cursor - 1)) + 1),
            LanguageId = "csharp",
            WorkspaceFolder = Folder,
        };
    }

    private static FimPrompt Prompt(CompletionService service, CompletionQuery query, IReadOnlyList<ContextItem> items) =>
        service.Prompt(query, items, contextSize: 8192, new CompletionOptions(), ContextEngine.EstimateTokens);

    [Theory]
    [InlineData(FimFamily.QwenCoder)]
    [InlineData(FimFamily.StarCoder)]
    [InlineData(FimFamily.DeepSeekCoder)]
    [InlineData(FimFamily.CodeLlama)]
    [InlineData(FimFamily.CodeGeeX4)]
    public void Each_family_gets_its_repository_level_layout(FimFamily family)
    {
        var fim = Prompt(new CompletionService(_ => { }), Query(s_document), s_items);
        Golden.Check($"completion/prompt-{family}.txt", FimTemplate.For(family).Render(fim));
    }

    [Theory]
    [InlineData("starcoder")]
    [InlineData("deepseek-coder")]
    [InlineData("refact")]
    public async Task The_tokens_are_the_vocabularys_fim_tokens_around_the_text(string vocabulary)
    {
        var path = Path.Combine(tiny.Directory, $"tiny-{vocabulary}.gguf");
        if (!File.Exists(path))
        {
            RandomModel.Write(path, RandomModelShape.Tiny, RandomModel.VocabularyPath(vocabulary));
        }
        await using var model = LlamaCodeModel.Open(path, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 1, Sequences = 1 } });
        var fim = Prompt(new CompletionService(_ => { }), Query(s_document), s_items);

        var tokens = model.BuildFimTokens(fim, maxTokens: 64);

        var rendering = new StringBuilder($"{model.FimTemplate!.Family} layout, {tokens.Length} tokens; special tokens in brackets\n");
        foreach (var token in tokens)
        {
            var piece = Encoding.UTF8.GetString(model.Model.TokenBytes(token, renderSpecial: true));
            var special = model.Model.Tokenize(piece, parseSpecial: true) is [var only] && only == token && model.Model.Tokenize(piece) is not [_];
            rendering.Append(special ? $"[{token} {piece}]" : $"{token}:{piece.Replace("\n", "\\n").Replace("\t", "\\t")}").Append(special ? "\n" : " ");
        }
        Golden.Check($"completion/tokens-{vocabulary}.txt", rendering.ToString().TrimEnd() + "\n");
    }

    [Fact]
    public async Task Typing_a_character_changes_the_prompt_only_from_the_cursor_on()
    {
        await using var model = LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 1, Sequences = 1 } });
        var service = new CompletionService(_ => { });
        var longer = string.Concat(Enumerable.Range(0, 60).Select(i => $"        // line {i} of a long method body\n"));
        var document = s_document.Replace("        var copy", longer + "        var copy", StringComparison.Ordinal);

        var before = model.BuildFimTokens(Prompt(service, Query(document), s_items), 64);
        var after = model.BuildFimTokens(Prompt(service, Query(document.Replace("$0", "c$0", StringComparison.Ordinal)), s_items), 64);

        var shared = before.Zip(after).TakeWhile(pair => pair.First == pair.Second).Count();
        var suffix = model.CountTokens(Prompt(service, Query(document), s_items).Suffix);
        Assert.True(shared >= before.Length - suffix - 4, $"shared {shared} of {before.Length} tokens; the suffix is {suffix}");
    }

    [Fact]
    public void Snippets_keep_their_order_while_the_ranking_shifts_and_start_over_when_it_moves_on()
    {
        var service = new CompletionService(_ => { });
        var query = Query(s_document);
        var first = Prompt(service, query, s_items);
        // The engine ranks the same items the other way round, plus a lexical neighbour: the prompt's snippets stay.
        var lexical = new ContextItem($"{Folder}/src/Core/Member.cs", new SourceSpan(1, 0, 1, 20), "lexical", "// members");
        var shifted = Prompt(service, query, [s_items[1], s_items[0], lexical]);
        // In the middle of a word the ranking is not trusted at all: half an identifier floods it with look-alikes.
        var flood = Enumerable.Range(0, 6).Select(i => new ContextItem($"{Folder}/src/Copy{i}.cs", new SourceSpan(0, 0, 1, 0), "type", $"public sealed class Copy{i} {{ }}")).ToArray();
        var inWord = Prompt(service, Query(s_document.Replace("$0", "cop$0", StringComparison.Ordinal)), flood);
        // Most of what the engine ranks now is new, and it fits in the room left: it is appended.
        var copy = new ContextItem($"{Folder}/src/Core/BookCopy.cs", new SourceSpan(3, 4, 3, 30), "receiverMember", "public string Isbn { get; } public bool IsLendable { get; }");
        var member = new ContextItem($"{Folder}/src/Core/Member.cs", new SourceSpan(2, 0, 8, 1), "type", "public sealed record Member(string Name, string Email, DateOnly Joined)");
        var appended = Prompt(service, query, [copy, member, s_items[0]]);
        // Entirely different context that no longer fits beside the old, in two requests in a row: the set starts over,
        // filling three quarters of the budget, the files' names included. One request alone does not move it.
        var elsewhere = Enumerable.Range(0, 8).Select(i => new ContextItem($"{Folder}/src/Other{i}.cs", new SourceSpan(0, 0, 1, 0), "type", new string('x', 500))).ToArray();
        var once = Prompt(service, query, elsewhere);
        var back = Prompt(service, query, [copy, member, s_items[0]]);
        var movedOnce = Prompt(service, query, elsewhere);
        var moved = Prompt(service, query, elsewhere);

        Assert.Equal(["src/Core/Loan.cs", "src/Core/ICatalog.cs"], first.Snippets.Select(s => s.Path));
        Assert.Equal(first.Snippets, shifted.Snippets);
        Assert.Equal(first.Snippets, inWord.Snippets);
        Assert.Equal(["src/Core/Loan.cs", "src/Core/ICatalog.cs", "src/Core/BookCopy.cs", "src/Core/Member.cs"], appended.Snippets.Select(s => s.Path));
        Assert.Equal(appended.Snippets, once.Snippets);
        Assert.Equal(appended.Snippets, back.Snippets);
        Assert.Equal(appended.Snippets, movedOnce.Snippets);
        Assert.Equal(elsewhere.Take(5).Select(i => Path.GetRelativePath(Folder, i.Path)), moved.Snippets.Select(s => s.Path));
    }

    [Fact]
    public void A_ranking_longer_than_the_set_holds_does_not_start_it_over_while_it_stays()
    {
        var log = new List<string>();
        var service = new CompletionService(log.Add);
        // Small items in files of long names, as the engine ranks members: the names are most of what a snippet costs.
        var many = Enumerable.Range(0, 100).Select(i => new ContextItem($"{Folder}/src/Shelf/Core/Lending/Policies/Overdue/Reminders/Type{i}.cs",
            new SourceSpan(0, 0, 1, 0), "member", $"int Value{i} {{ get; }}")).ToArray();

        var prompts = Enumerable.Range(0, 4).Select(_ => Prompt(service, Query(s_document), many)).ToArray();

        Assert.DoesNotContain(log, line => line.Contains("started over", StringComparison.Ordinal) || line.Contains("appended", StringComparison.Ordinal));
        Assert.All(prompts, p => Assert.Equal(prompts[0].Snippets, p.Snippets));
        Assert.True(prompts[0].Snippets.Count < many.Length);
    }

    [Fact]
    public void Consecutive_items_of_one_file_share_one_snippet()
    {
        var service = new CompletionService(_ => { });
        ContextItem Item(string file, string kind, string text) => new($"{Folder}/src/Core/{file}", new SourceSpan(0, 0, 1, 0), kind, text);
        var items = new[]
        {
            Item("Book.cs", "type", "public sealed class Book"),
            Item("Book.cs", "member", "public string Title { get; }"),
            Item("Loan.cs", "type", "public sealed record Loan(Book Book)"),
            Item("Book.cs", "member", "public int Year { get; }"),
        };

        var prompt = Prompt(service, Query(s_document), items);

        Assert.Equal(["src/Core/Book.cs", "src/Core/Loan.cs", "src/Core/Book.cs"], prompt.Snippets.Select(s => s.Path));
        Assert.Equal("public sealed class Book\npublic string Title { get; }", prompt.Snippets[0].Text);
    }
}
