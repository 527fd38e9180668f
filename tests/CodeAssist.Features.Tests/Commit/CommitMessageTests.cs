using CodeAssist.Features.Commit;
using CodeAssist.Features.Prompts;
using CodeAssist.Git;
using CodeAssist.Git.Tests;

namespace CodeAssist.Features.Tests.Commit;

/// <summary>The commit message feature on real repositories, without a model (the subject comes from the API changes).</summary>
public sealed class CommitMessageTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Lending = """
        namespace Bookshelf.Services;

        public sealed class LendingService
        {
            public Loan Lend(Member member, BookCopy copy)
            {
                var loan = new Loan(member, copy);
                return loan;
            }
        }
        """;

    private static TempRepository Bookshelf(params string[] subjects)
    {
        var repository = new TempRepository();
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending);
        repository.Write("README.md", "# Bookshelf\n");
        repository.Commit(subjects.Length > 0 ? subjects[0] : "Add the lending service");
        foreach (var subject in subjects.Skip(1))
        {
            repository.Git("commit -q --allow-empty -m", subject);
        }
        return repository;
    }

    private static Task<CommitMessage> WriteAsync(TempRepository repository, CommitOptions? options = null) =>
        CommitMessageWriter.WriteAsync(repository.Root, null, PromptLibrary.BuiltIn, options ?? new CommitOptions(), None);

    private static async Task<CommitPrompt> PromptAsync(TempRepository repository, CommitOptions? options = null, int window = 8192)
    {
        using var git = await GitRepository.OpenAsync(repository.Root, GitOptions.Default, None);
        var changes = await git.StagedChangesAsync(None);
        return await CommitMessageWriter.PrepareAsync(git, changes, PromptLibrary.BuiltIn, null, window, CommitMessageWriter.EstimateTokens,
            options ?? new CommitOptions(), None);
    }

    private static string Text(CommitPrompt prompt) => string.Join("\n", prompt.Messages.Select(m => $"[{m.Role}]\n{m.Content}"));

    [Fact]
    public async Task A_staged_rename_gets_a_subject_naming_it_and_the_api_change()
    {
        using var repository = Bookshelf();
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("public Loan Lend(", "public Loan Checkout("));
        repository.Git("add -A");

        var message = await WriteAsync(repository);

        Assert.Equal("Rename LendingService.Lend to Checkout", message.Subject);
        Assert.Equal("- Rename LendingService.Lend(Member, BookCopy) to LendingService.Checkout(Member, BookCopy)", message.Body);
        Assert.Equal(ChangeSource.Staged, message.Source);
        Assert.False(message.FromModel);
        var change = Assert.Single(message.ApiChanges);
        Assert.Equal(new ApiChange(ApiChangeKind.Renamed, "LendingService.Checkout(Member, BookCopy)", "LendingService.Lend(Member, BookCopy)",
            "src/Bookshelf.Services/LendingService.cs"), change);
        Assert.Contains(message.Notes, n => n.Contains("No model is configured"));
    }

    [Fact]
    public async Task Nothing_staged_describes_the_unstaged_changes_and_says_so()
    {
        using var repository = Bookshelf();
        repository.Write("README.md", "# Bookshelf\nLend books.\n");
        repository.Write("scratch.txt", "untracked\n");

        var message = await WriteAsync(repository);

        Assert.Equal(ChangeSource.Unstaged, message.Source);
        Assert.Equal("Update README.md", message.Subject);
        Assert.Contains(message.Notes, n => n.StartsWith("Nothing was staged", StringComparison.Ordinal));
        Assert.Contains(message.Notes, n => n.Contains("1 untracked file(s) are not included"));
    }

    [Fact]
    public async Task Nothing_changed_is_a_clear_answer()
    {
        using var repository = Bookshelf();
        repository.Write("new.txt", "untracked\n");

        var error = await Assert.ThrowsAsync<CommitMessageException>(() => WriteAsync(repository));

        Assert.Contains("Nothing to commit", error.Message);
        Assert.Contains("untracked", error.Message);
    }

    [Fact]
    public async Task The_initial_commit_is_described_with_the_default_style()
    {
        using var repository = new TempRepository();
        repository.Write("src/Shelf.cs", "public class Shelf { }\n");
        repository.Git("add -A");

        var message = await WriteAsync(repository);

        Assert.Equal("Add Shelf", message.Subject);
        Assert.Contains(message.ApiChanges, c => c.Kind == ApiChangeKind.FileAdded && c.File == "src/Shelf.cs");
    }

    [Fact]
    public async Task A_merge_in_progress_keeps_gits_merge_subject_and_a_conflict_is_noted()
    {
        using var repository = Bookshelf();
        repository.CommitOnNewBranch("topic", "README.md", "# Bookshelf on topic\n", "Retitle on topic");
        repository.Write("README.md", "# Bookshelf on main\n");
        repository.Commit("Retitle on main");
        Assert.NotEqual(0, repository.TryGit("merge -q topic").ExitCode);

        var message = await WriteAsync(repository);

        Assert.Equal("Merge branch 'topic'", message.Subject);
        Assert.Contains(message.Notes, n => n.Contains("still have conflicts") && n.Contains("README.md"));
    }

    [Fact]
    public async Task Conventional_history_gets_a_conventional_subject()
    {
        using var repository = Bookshelf("feat(lending): add the lending service", "fix(lending): count loans once", "docs: describe lending",
            "feat(catalog): search by title");
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("    public Loan Lend(", "    public void Renew(Loan loan) { }\n\n    public Loan Lend("));
        repository.Git("add -A");

        var message = await WriteAsync(repository);

        // "lending" is a scope of the history and in every changed path.
        Assert.Equal("feat(lending): add LendingService.Renew", message.Subject);
    }

    [Fact]
    public async Task Area_prefixed_history_gets_the_area_of_the_changed_files()
    {
        using var repository = Bookshelf("Services: add the lending service", "Docs: describe lending", "Services: count loans once");
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("Member member, BookCopy copy", "Member member, BookCopy copy, DateOnly due"));
        repository.Git("add -A");

        var message = await WriteAsync(repository);

        // The history writes lower case after the area.
        Assert.Equal("Services: change the signature of LendingService.Lend", message.Subject);
    }

    [Fact]
    public async Task Planted_secrets_never_reach_the_prompt()
    {
        using var repository = Bookshelf();
        const string token = "sk-live-PLANTED-0123456789";
        repository.Write(".env", $"API_TOKEN={token}\n");
        repository.Write("deploy/server.pem", $"-----BEGIN PRIVATE KEY-----\n{token}\n-----END PRIVATE KEY-----\n");
        repository.Write("config/settings.txt", $"note\n-----BEGIN RSA PRIVATE KEY-----\n{token}\n-----END RSA PRIVATE KEY-----\n");
        repository.Write("private/notes.md", $"token {token}\n");
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("public Loan Lend(", "public Loan Checkout("));
        repository.Git("add -A");

        var prompt = await PromptAsync(repository, new CommitOptions { ExcludeGlobs = ["private/**"] });

        string text = Text(prompt);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain("PRIVATE KEY", text);
        Assert.Contains("renamed LendingService.Lend(Member, BookCopy) to LendingService.Checkout(Member, BookCopy)", text);
        Assert.Contains("Left out (not shown here): 4 files excluded by the user or that may hold secrets.", text);
        var leftOut = Assert.Single(prompt.Notes, n => n.StartsWith("Left out of the prompt", StringComparison.Ordinal));
        Assert.Contains(".env (looks like a secret)", leftOut);
        Assert.Contains("config/settings.txt (contains a private key)", leftOut);
        Assert.Contains("private/notes.md (excluded by a glob)", leftOut);
    }

    [Fact]
    public async Task Lock_files_and_generated_files_are_left_out_of_the_prompt()
    {
        using var repository = Bookshelf();
        repository.Write("web/package-lock.json", "{ \"lockfileVersion\": 3, \"LOCKED\": true }\n");
        repository.Write("src/Resources.Designer.cs", "// designer DESIGNED\n");
        repository.Write("src/Api.cs", "// <auto-generated/>\npublic class GeneratedApi { public int MARKED; }\n");
        repository.Write("README.md", "# Bookshelf\nMore.\n");
        repository.Git("add -A");

        var prompt = await PromptAsync(repository);

        string text = Text(prompt);
        Assert.True(text.Contains("Left out (not shown here)"), text);
        Assert.DoesNotContain("LOCKED", text);
        Assert.DoesNotContain("DESIGNED", text);
        Assert.DoesNotContain("MARKED", text);
        Assert.Contains("+More.", text);
        Assert.Contains("Left out (not shown here): 2 generated files, 1 lock file.", text);
    }

    [Fact]
    public async Task A_five_megabyte_diff_fits_the_window_in_whole_lines_with_small_hunks_kept()
    {
        using var repository = Bookshelf();
        var table = new System.Text.StringBuilder();
        for (int i = 0; table.Length < 5 * 1024 * 1024; i++)
        {
            table.Append("row ").Append(i).Append(", a generated value that goes on for a while to fill the table\n");
        }
        repository.Write("data/table.csv", table.ToString());
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("return loan;", "return loan; // lent"));
        repository.Git("add -A");
        var patchLines = repository.Git("diff --cached --no-color").Split('\n').ToHashSet();

        var prompt = await PromptAsync(repository, window: 4096);

        Assert.True(prompt.Tokens <= 4096 - new CommitOptions().AnswerTokens, $"{prompt.Tokens} tokens");
        Assert.True(prompt.PatchTokens > 1_000_000);
        string diff = prompt.Messages[^1].Content.Split("Diff:\n")[1];
        Assert.Contains("+        return loan; // lent", diff);
        Assert.Contains("lines left out", diff);
        foreach (var line in diff.Split('\n').Where(l => l.Length > 0 && l != "Write the commit message."))
        {
            Assert.True(patchLines.Contains(line) || line.Contains("left out"), $"not a whole line of the patch: {line}");
        }
    }

    [Fact]
    public async Task The_prompt_renders_the_style_the_api_changes_and_the_diff()
    {
        using var repository = Bookshelf("Services: add the lending service", "Docs: describe lending");
        repository.Write("src/Bookshelf.Services/LendingService.cs", Lending.Replace("public Loan Lend(", "public Loan Checkout("));
        repository.Write("README.md", "# Bookshelf\nLend and return books.\n");
        repository.Git("add -A");

        var prompt = await PromptAsync(repository);

        Golden.Check("commit/prompt.txt", Text(prompt));
    }
}
