using CodeAssist.Context;
using CodeAssist.Features.Completion;
using CodeAssist.Features.Completion.Postprocessing;
using CodeAssist.Models;
using CodeAssist.Models.Tests;

namespace CodeAssist.Features.Tests.Completion;

/// <summary>
/// C# candidates through the real compiler check of a real context engine over a small repository. The candidate texts
/// are given here (random weights would rarely write a real name); the check, the repair and the ranking are the
/// pipeline's own. The last test lets the tiny random-weight model write the text after <c>book.</c> and holds its
/// first identifier to the receiver's members.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class CompilerRankingTests(TinyModel tiny) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("codeassist-ranking-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(ContextEngine Engine, string Path, int Line, int Character, string Text)> WorkspaceAsync(string document)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "Book.cs"), """
            namespace Shelf;

            public sealed class Book
            {
                public string Title { get; set; } = "";
                public int Year { get; set; }
                public bool IsOlderThan(int year) => Year < year;
            }
            """);
        var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [_root] });
        await engine.IndexAsync(null, CancellationToken.None);
        var path = Path.Combine(_root, "Report.cs");
        var cursor = document.IndexOf("$0", StringComparison.Ordinal);
        var text = document.Remove(cursor, 2);
        engine.OpenOrChange(path, text);
        var line = text[..cursor].Count(c => c == '\n');
        return (engine, path, line, cursor - (text.LastIndexOf('\n', cursor - 1) + 1), text);
    }

    private const string Document = """
        namespace Shelf;

        public static class Report
        {
            public static string Line(Book book)
            {
                return book.$0
            }
        }
        """;

    private static ProcessedCompletion Candidate(string text, int retyped = 0) => new(text, retyped);

    private static async Task<(IReadOnlyList<CheckedCompletion> Shown, IReadOnlyList<CheckedCompletion> HeldBack, int Rejected, int Repaired)> RankAsync(
        (ContextEngine Engine, string Path, int Line, int Character, string Text) workspace, params ProcessedCompletion[] candidates)
    {
        var checks = workspace.Engine.CheckInsertions(workspace.Path, workspace.Line, workspace.Character, candidates.Select(CompilerRanking.Insertion).ToArray(), CancellationToken.None);
        return await Task.FromResult(CompilerRanking.Rank(candidates, checks));
    }

    [Fact]
    public async Task A_candidate_naming_a_member_that_does_not_exist_goes_behind_one_that_compiles()
    {
        var workspace = await WorkspaceAsync(Document);
        using var engine = workspace.Engine;

        var (shown, heldBack, rejected, repaired) = await RankAsync(workspace, Candidate("Zqxv;"), Candidate("Title;"));

        Assert.Equal(["Title;", "Zqxv;"], shown.Select(c => c.Completion.Text));
        Assert.Empty(shown[0].Diagnostics);
        Assert.Contains(shown[1].Diagnostics, d => d.Id == "CS1061");
        Assert.Equal((1, 0), (rejected, repaired));
        Assert.Empty(heldBack);
    }

    [Fact]
    public async Task A_misspelt_member_is_repaired_and_one_with_no_close_name_is_not_shown_alone()
    {
        var workspace = await WorkspaceAsync(Document);
        using var engine = workspace.Engine;

        var misspelt = await RankAsync(workspace, Candidate("Titel;"));
        var unknown = await RankAsync(workspace, Candidate("Zqxv;"));

        Assert.Equal("Title;", Assert.Single(misspelt.Shown).Completion.Text);
        Assert.True(misspelt.Shown[0].Repaired);
        Assert.Equal((0, 1), (misspelt.Rejected, misspelt.Repaired));
        Assert.Empty(unknown.Shown);
        Assert.Equal(1, unknown.Rejected);
        var held = Assert.Single(unknown.HeldBack);
        Assert.Equal("Zqxv;", held.Completion.Text);
        Assert.Contains(held.Diagnostics, d => d.Id == "CS1061");
    }

    [Fact]
    public async Task A_candidate_that_is_not_code_is_cut_where_the_parser_stops_reading_it_and_held_back_when_nothing_is_left()
    {
        var workspace = await WorkspaceAsync(Document);
        using var engine = workspace.Engine;

        var cut = await RankAsync(workspace, Candidate("Title Title Title;"));
        var both = await RankAsync(workspace, Candidate("((;"), Candidate("Year;"));
        var alone = await RankAsync(workspace, Candidate("((;"));

        var shown = Assert.Single(cut.Shown);
        Assert.Equal(("Title", true), (shown.Completion.Text, shown.Repaired));
        Assert.Empty(shown.Diagnostics);
        Assert.Equal(["Year;", "((;"], both.Shown.Select(c => c.Completion.Text));
        Assert.True(both.Shown[1].Unparsable);
        Assert.Empty(alone.Shown);
        Assert.True(Assert.Single(alone.HeldBack).Unparsable);
    }

    [Fact]
    public async Task An_error_a_candidate_causes_in_the_code_after_the_cursor_ranks_it_behind_but_does_not_hold_it_back()
    {
        // The user typed "book." in front of a line that goes on with ".ToUpper()": a string member fits, an int does not.
        var workspace = await WorkspaceAsync(Document.Replace("return book.$0", "return book.$0\n            .ToUpper();", StringComparison.Ordinal));
        using var engine = workspace.Engine;

        var (shown, heldBack, rejected, _) = await RankAsync(workspace, Candidate("Year"), Candidate("Title"));
        var alone = await RankAsync(workspace, Candidate("Year"));

        Assert.Equal(["Title", "Year"], shown.Select(c => c.Completion.Text));
        Assert.Contains(shown[1].Diagnostics, d => d.Id == "CS1061" && d.Message.Contains("'ToUpper'", StringComparison.Ordinal));
        Assert.Equal(0, rejected);
        Assert.Empty(heldBack);
        Assert.Equal("Year", Assert.Single(alone.Shown).Completion.Text);
    }

    [Fact]
    public async Task What_a_candidate_retypes_after_the_cursor_is_not_inserted_twice_for_the_check()
    {
        var workspace = await WorkspaceAsync(Document.Replace("return book.$0", "return Format(book.$0);", StringComparison.Ordinal)
            .Replace("    public static string Line", "    static string Format(string text) => text;\n\n    public static string Line", StringComparison.Ordinal));
        using var engine = workspace.Engine;

        var (shown, _, rejected, _) = await RankAsync(workspace, Candidate("Title)", retyped: 1));

        Assert.Equal("Title)", Assert.Single(shown).Completion.Text);
        Assert.Empty(shown[0].Diagnostics);
        Assert.Equal(0, rejected);
    }

    [Fact]
    public async Task After_a_dot_the_model_only_writes_the_receivers_members_and_comments_get_nothing()
    {
        var workspace = await WorkspaceAsync(Document);
        using var engine = workspace.Engine;
        await using var model = LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 1 } });
        var service = new CompletionService(_ => { });
        var cursor = workspace.Text.IndexOf("book.", StringComparison.Ordinal) + "book.".Length;
        var query = new CompletionQuery
        {
            DocumentKey = new Uri(workspace.Path).AbsoluteUri,
            Path = workspace.Path,
            Text = workspace.Text,
            Offset = cursor,
            Line = workspace.Line,
            Character = workspace.Character,
            LanguageId = "csharp",
            Invoked = true,
            WorkspaceFolder = _root,
        };
        var options = new CompletionOptions { MaxTokens = 16 };

        var answer = await service.CompleteAsync(query, options, model, engine, CancellationToken.None);

        // Every candidate the model wrote starts with a member; the noise after it may still name something that does not
        // exist, and such a candidate is never shown first.
        string[] members = ["Title", "Year", "IsOlderThan", "Equals", "GetHashCode", "GetType", "ToString"];
        var generated = service.GetTestAccessor().LastGenerated;
        Assert.NotEmpty(generated);
        Assert.All(generated, text => Assert.Contains(new string(text.TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray()), members));
        Assert.All(answer.Suggestions.Take(1), s => Assert.DoesNotContain(s.Diagnostics, d => InsertionCheck.MissingNameIds.Contains(d.Id)));
        // Nothing shown: the answer still says what was held back, and why.
        Assert.True(answer.Suggestions.Count > 0 || answer.HeldBack.Count > 0);
        Assert.All(answer.HeldBack, held => Assert.True(held.Unparsable || held.Diagnostics.Any(d => InsertionCheck.MissingNameIds.Contains(d.Id))));

        var commented = workspace.Text.Replace("return book.", "// a note about book.", StringComparison.Ordinal);
        engine.OpenOrChange(workspace.Path, commented);
        var inComment = await service.CompleteAsync(query with { Text = commented, Offset = commented.IndexOf("book.", StringComparison.Ordinal) + 5, Character = workspace.Character + 13 }, options, model, engine, CancellationToken.None);
        Assert.Equal(AnswerKind.Nothing, inComment.Kind);
    }
}
