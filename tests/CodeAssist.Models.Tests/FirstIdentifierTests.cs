using System.Text;

namespace CodeAssist.Models.Tests;

/// <summary>
/// The first identifier of a generation held to a set of names with random weights: whatever the noise prefers, the
/// identifier it writes is one of the names.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class FirstIdentifierTests(TinyModel tiny)
{
    private static readonly string[] s_members = ["Title", "Author", "IsBorrowed", "Borrow", "Describe", "GetHashCode", "ToString"];

    private static readonly string[] s_prompts =
    [
        "var t = book.", "book.", "if (book.", "return shelf.", "x.", "    var name = order.", "foo(bar.", "{\n    this.",
        "print(a.", "import os\nos.", "let y = z.", "// call\nitem.",
    ];

    private LlamaCodeModel Open() => LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions
    {
        Context = new LlamaContextOptions { Threads = 1, Sequences = 2 },
    });

    private static async Task<(string Text, CompletionChunk Final)> Complete(LlamaCodeModel model, CompletionRequest request)
    {
        var text = new StringBuilder();
        CompletionChunk? final = null;
        await foreach (var chunk in model.CompleteAsync(request, CancellationToken.None))
        {
            text.Append(chunk.Text);
            final = chunk;
        }
        return (text.ToString(), final!);
    }

    private static string LeadingIdentifier(string typed, string text) =>
        typed + new string(text.TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());

    [Fact]
    public async Task Greedy_generation_writes_one_of_the_names_for_every_prompt()
    {
        await using var model = Open();
        foreach (var prompt in s_prompts)
        {
            var (text, final) = await Complete(model, new CompletionRequest
            {
                Prompt = prompt, MaxTokens = 16, FirstIdentifier = new IdentifierChoice("", s_members),
            });

            Assert.Contains(LeadingIdentifier("", text), s_members);
            Assert.Equal(IdentifierConstraintOutcome.Applied, final.FirstIdentifier);
        }
    }

    [Fact]
    public async Task Sampled_generation_writes_one_of_the_names_for_every_seed()
    {
        await using var model = Open();
        var seen = new HashSet<string>();
        for (uint seed = 1; seed <= 16; seed++)
        {
            var (text, _) = await Complete(model, new CompletionRequest
            {
                Prompt = s_prompts[(int)seed % s_prompts.Length],
                MaxTokens = 16,
                Sampling = new SamplingOptions { Temperature = 5f, TopK = 0, TopP = 1f, MinP = 0f, RepeatPenalty = 1.1f, Seed = seed },
                FirstIdentifier = new IdentifierChoice("", s_members),
            });

            string identifier = LeadingIdentifier("", text);
            Assert.Contains(identifier, s_members);
            seen.Add(identifier);
        }
        Assert.True(seen.Count > 1, "hot sampling should reach more than one name");
    }

    [Fact]
    public async Task Names_sharing_prefixes_and_names_that_prefix_others_are_written_whole()
    {
        string[] names = ["Count", "CountAsync", "Counter", "Border", "Borrow", "BorrowedAt", "B"];
        await using var model = Open();
        for (uint seed = 1; seed <= 12; seed++)
        {
            var (text, _) = await Complete(model, new CompletionRequest
            {
                Prompt = s_prompts[(int)seed % s_prompts.Length],
                MaxTokens = 16,
                Sampling = seed % 2 == 0 ? SamplingOptions.Greedy : new SamplingOptions { Temperature = 3f, TopK = 0, TopP = 1f, MinP = 0f, Seed = seed },
                FirstIdentifier = new IdentifierChoice("", names),
            });

            Assert.Contains(LeadingIdentifier("", text), names);
        }
    }

    [Fact]
    public async Task The_typed_prefix_is_continued_to_a_name_it_starts()
    {
        await using var model = Open();
        foreach (var prompt in s_prompts.Take(4))
        {
            var (text, final) = await Complete(model, new CompletionRequest
            {
                Prompt = prompt + "Bo", MaxTokens = 16, FirstIdentifier = new IdentifierChoice("Bo", ["Borrow", "Border", "Title"]),
            });

            Assert.Contains(LeadingIdentifier("Bo", text), new[] { "Borrow", "Border" });
            Assert.Equal(IdentifierConstraintOutcome.Applied, final.FirstIdentifier);
        }
    }

    [Fact]
    public async Task An_empty_list_or_a_prefix_no_name_starts_leaves_generation_free_and_says_so()
    {
        await using var model = Open();
        var free = await Complete(model, new CompletionRequest { Prompt = "book.Zy", MaxTokens = 12 });
        var empty = await Complete(model, new CompletionRequest { Prompt = "book.Zy", MaxTokens = 12, FirstIdentifier = new IdentifierChoice("Zy", []) });
        var unmatched = await Complete(model, new CompletionRequest { Prompt = "book.Zy", MaxTokens = 12, FirstIdentifier = new IdentifierChoice("Zy", s_members) });

        Assert.Equal(IdentifierConstraintOutcome.NotRequested, free.Final.FirstIdentifier);
        Assert.Equal(IdentifierConstraintOutcome.NotRequested, empty.Final.FirstIdentifier);
        Assert.Equal(IdentifierConstraintOutcome.NoNameMatchesPrefix, unmatched.Final.FirstIdentifier);
        Assert.Equal(free.Text, empty.Text);
        Assert.Equal(free.Text, unmatched.Text);
    }

    [Fact]
    public void A_token_may_finish_a_name_and_go_on_past_it_but_not_run_on_into_a_longer_word()
    {
        using var model = LlamaModel.Load(tiny.ModelPath);
        var table = TokenTable.Build(model);
        // A token of the vocabulary that is an identifier and a separator ("__(" in StarCoder's, which splits most words
        // from punctuation), whose identifier is a token too and begins a longer token (a longer identifier).
        string Text(int token) => Encoding.UTF8.GetString(table.Piece(token));
        var (spanning, word, longer) = Enumerable.Range(0, model.VocabularySize)
            .Select(t => (Token: t, Text: Text(t)))
            .Where(t => t.Text.Length >= 3 && "(.;,)[=:".Contains(t.Text[^1]) && t.Text[..^1].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            .Select(t => (t.Token, Word: t.Text[..^1], Longer: Enumerable.Range(0, model.VocabularySize).FirstOrDefault(l =>
                Text(l) is var other && other.Length > t.Text.Length - 1 && other.StartsWith(t.Text[..^1], StringComparison.Ordinal)
                && (char.IsAsciiLetterOrDigit(other[t.Text.Length - 1]) || other[t.Text.Length - 1] == '_'), -1)))
            .First(t => t.Longer >= 0 && model.Tokenize(t.Word).Length == 1);
        int whole = model.Tokenize(word).Single();
        int separator = model.Tokenize(Text(spanning)[^1..]).Single();

        var constraint = IdentifierConstraint.Create(new Lazy<TokenTable>(table), new IdentifierChoice("", [word]), out var outcome)!;
        var first = constraint.Allowed();

        Assert.Equal(IdentifierConstraintOutcome.Applied, outcome);
        Assert.Contains(spanning, first);                           // finishes the name, then goes on past it
        Assert.Contains(whole, first);                              // the name alone
        Assert.Contains(model.Tokenize(word[..1]).Single(), first); // its first letter
        Assert.DoesNotContain(longer, first);                       // a longer identifier is another name
        Assert.DoesNotContain(model.Eos, first);                    // nothing written yet: no end

        constraint.Accept(whole);
        var next = constraint.Allowed();
        Assert.True(constraint.IsActive);
        Assert.Contains(model.Eos, next);                           // a whole name may end the text
        Assert.Contains(separator, next);
        Assert.DoesNotContain(model.Tokenize("s").Single(), next);  // but not run on

        constraint.Accept(separator);
        Assert.False(constraint.IsActive);
    }
}
