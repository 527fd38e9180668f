using CodeAssist.Features.Commit;

namespace CodeAssist.Features.Tests.Commit;

/// <summary>What reads as a commit message, and the style learnt from a repository's subjects.</summary>
public sealed class CommitAnswerTests
{
    [Theory]
    [InlineData("Rename LendingService.Lend to Checkout", "Rename LendingService.Lend to Checkout", "")]
    [InlineData("```\nfix(lending): count loans once\n\nThe loop counted renewals twice.\n```", "fix(lending): count loans once", "The loop counted renewals twice.")]
    [InlineData("Subject: Added a cache for loans", "Added a cache for loans", "")]
    [InlineData("\"Context: skip bodyless trees\"\n\n", "Context: skip bodyless trees", "")]
    public void A_commit_message_is_read_with_its_body(string answer, string subject, string body)
    {
        Assert.Equal((subject, body), CommitAnswer.Parse(answer, CommitStyle.Default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("ĠforeachĠ(varĠxĠinĠ_items)Ġ{Ġ")]
    [InlineData("}); ]] ;; 0x1f 12 34 56 78 !=")]
    [InlineData("The code in this diff changes the lending service so that it")]
    [InlineData("I cannot help with that.")]
    [InlineData("x")]
    public void Noise_refusals_and_explanations_are_not_commit_messages(string answer)
    {
        Assert.Null(CommitAnswer.Parse(answer, CommitStyle.Default));
    }

    [Fact]
    public void A_repository_in_another_language_accepts_subjects_without_english_verbs()
    {
        var style = CommitStyle.From(["Ajoute le service de prêt", "Corrige le calcul des retards", "Met à jour la documentation"]);

        Assert.False(style.English);
        Assert.NotNull(CommitAnswer.Parse("Renomme Lend en Checkout", style));
    }

    [Fact]
    public void Conventional_history_is_recognised_with_its_types_and_scopes()
    {
        var style = CommitStyle.From(["feat(lending): add renewals", "fix(lending): count loans once", "docs: describe lending",
            "feat(catalog): search by title", "Merge branch 'topic'"]);

        Assert.True(style.Conventional);
        Assert.Equal(["feat", "docs", "fix"], style.Types);
        Assert.Equal(["lending", "catalog"], style.Scopes);
        Assert.True(style.English);
        Assert.True(style.Imperative);
        Assert.False(style.Capitalized);
    }

    [Fact]
    public void Area_prefixes_past_tense_and_periods_are_recognised()
    {
        var style = CommitStyle.From(["Context: added a cache.", "Docs: fixed the table.", "Server: removed the old handler."]);

        Assert.False(style.Conventional);
        Assert.Equal(["Context", "Docs", "Server"], style.Areas);
        Assert.False(style.Imperative);
        Assert.True(style.TrailingPeriod);
    }
}
