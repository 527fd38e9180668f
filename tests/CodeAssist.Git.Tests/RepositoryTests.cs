using System.Text;

namespace CodeAssist.Git.Tests;

/// <summary>Reading real repositories made with the git CLI: the model through LibGit2Sharp, the patch through git.</summary>
public sealed class RepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<GitRepository> OpenAsync(TempRepository repository, GitOptions? options = null) =>
        GitRepository.OpenAsync(repository.Root, options ?? GitOptions.Default, None);

    /// <summary>A PATH with no git on it: a folder that does not exist.</summary>
    private static GitOptions WithoutGit() =>
        new() { SearchPath = Path.Combine(Path.GetTempPath(), "codeassist-no-git-" + Guid.NewGuid().ToString("N")) };

    private static TempRepository WithHistory()
    {
        var repository = new TempRepository();
        repository.Write("src/Shelf.cs", "namespace Books;\npublic class Shelf\n{\n    public int Count { get; }\n}\n");
        repository.Write("README.md", "# Books\n");
        repository.Commit("Add the shelf");
        return repository;
    }

    [Fact]
    public async Task A_staged_change_lists_the_file_with_both_blobs_and_the_patch_is_git_diff_cached_byte_for_byte()
    {
        using var repository = WithHistory();
        repository.Write("src/Shelf.cs", "namespace Books;\npublic class Shelf\n{\n    public int Count { get; }\n    public bool IsEmpty => Count == 0;\n}\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(RepositoryReader.LibGit2Sharp, git.Reader);
        Assert.Equal(new RepositoryState("main", false, GitOperation.None), git.State);
        var file = Assert.Single(changes.Files);
        Assert.Equal((FileChangeKind.Modified, "src/Shelf.cs"), (file.Kind, file.Path));
        Assert.Equal(repository.GitBytes("diff --cached --no-color --no-ext-diff"), changes.Patch);
        var blobs = await git.ReadBlobsAsync([file.OldBlob!, file.NewBlob!], None);
        Assert.DoesNotContain("IsEmpty", Encoding.UTF8.GetString(blobs[file.OldBlob!]));
        Assert.Contains("IsEmpty", Encoding.UTF8.GetString(blobs[file.NewBlob!]));
        Assert.Empty(changes.Notes);
    }

    [Fact]
    public async Task Nothing_staged_leaves_the_staged_set_empty_and_the_unstaged_set_reads_the_working_tree()
    {
        using var repository = WithHistory();
        repository.Write("README.md", "# Books\nShelves of them.\n");
        repository.Write("notes.txt", "untracked\n");

        using var git = await OpenAsync(repository);
        var staged = await git.StagedChangesAsync(None);
        var unstaged = await git.UnstagedChangesAsync(None);

        Assert.True(staged.IsEmpty);
        var file = Assert.Single(unstaged.Files);
        Assert.Equal(("README.md", (string?)null), (file.Path, file.NewBlob));
        Assert.NotNull(file.OldBlob);
        Assert.Equal("# Books\nShelves of them.\n", Encoding.UTF8.GetString(git.ReadWorkingFile(file.Path)!));
        Assert.Equal(repository.GitBytes("diff --no-color --no-ext-diff"), unstaged.Patch);
        Assert.Equal(1, await git.CountUntrackedAsync(None));
    }

    [Fact]
    public async Task A_clean_working_tree_has_no_changes_at_all()
    {
        using var repository = WithHistory();
        using var git = await OpenAsync(repository);

        Assert.True((await git.StagedChangesAsync(None)).IsEmpty);
        Assert.True((await git.UnstagedChangesAsync(None)).IsEmpty);
        Assert.Empty((await git.StagedChangesAsync(None)).Patch);
    }

    [Fact]
    public async Task The_initial_commit_has_an_unborn_head_every_file_added_and_no_subjects()
    {
        using var repository = new TempRepository();
        repository.Write("a.cs", "class A { }\n");
        repository.Write("b.md", "b\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.True(git.State.IsHeadUnborn);
        Assert.Equal("main", git.State.Branch);
        Assert.Equal(["a.cs", "b.md"], changes.Files.Select(f => f.Path));
        Assert.All(changes.Files, f => Assert.Equal((FileChangeKind.Added, (string?)null), (f.Kind, f.OldBlob)));
        Assert.Empty(await git.RecentSubjectsAsync(50, None));
        Assert.Equal(repository.GitBytes("diff --cached --no-color --no-ext-diff"), changes.Patch);
    }

    [Fact]
    public async Task Recent_subjects_come_newest_first_without_merges()
    {
        using var repository = WithHistory();
        repository.CommitOnNewBranch("topic", "topic.txt", "t\n", "feat(topic): add the topic file");
        repository.Write("main.txt", "m\n");
        repository.Commit("fix: keep main going");
        repository.Git("merge -q --no-ff topic -m", "Merge branch 'topic'");

        using var git = await OpenAsync(repository);
        var subjects = await git.RecentSubjectsAsync(50, None);

        Assert.Equal(["fix: keep main going", "feat(topic): add the topic file", "Add the shelf"], subjects);
        Assert.Equal(3, (await git.RecentCommitIdsAsync(50, None)).Count);
    }

    [Fact]
    public async Task A_merge_without_conflict_is_reported_as_in_progress_with_its_staged_result()
    {
        using var repository = WithHistory();
        repository.CommitOnNewBranch("topic", "topic.txt", "t\n", "Add the topic file");
        repository.Git("merge -q --no-ff --no-commit topic");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(GitOperation.Merge, git.State.Operation);
        Assert.Equal((FileChangeKind.Added, "topic.txt"), (changes.Files.Single().Kind, changes.Files.Single().Path));
    }

    [Fact]
    public async Task A_merge_with_a_conflict_lists_the_conflicted_file_without_blobs()
    {
        using var repository = WithHistory();
        repository.CommitOnNewBranch("topic", "README.md", "# Books on the topic branch\n", "Retitle on topic");
        repository.Write("README.md", "# Books on main\n");
        repository.Commit("Retitle on main");
        Assert.NotEqual(0, repository.TryGit("merge -q topic").ExitCode);

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(GitOperation.Merge, git.State.Operation);
        var file = Assert.Single(changes.Files);
        Assert.Equal((FileChangeKind.Conflicted, "README.md", (string?)null, (string?)null), (file.Kind, file.Path, file.OldBlob, file.NewBlob));
        Assert.Contains("* Unmerged path README.md", Encoding.UTF8.GetString(changes.Patch));
    }

    [Fact]
    public async Task A_rename_is_one_change_with_its_old_path()
    {
        using var repository = WithHistory();
        repository.Git("mv src/Shelf.cs src/Bookshelf.cs");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        var file = Assert.Single(changes.Files);
        Assert.Equal((FileChangeKind.Renamed, "src/Bookshelf.cs", "src/Shelf.cs"), (file.Kind, file.Path, file.OldPath));
        var diff = Assert.Single(UnifiedDiff.Parse(changes.Patch));
        Assert.Equal("src/Bookshelf.cs", diff.Path);
        Assert.Contains("rename from src/Shelf.cs", diff.Header);
    }

    [Fact]
    public async Task A_binary_file_is_marked_binary_in_the_parsed_patch()
    {
        using var repository = WithHistory();
        repository.WriteBytes("cover.png", [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3, 0, 0, 255]);
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal("cover.png", changes.Files.Single().Path);
        var diff = Assert.Single(UnifiedDiff.Parse(changes.Patch));
        Assert.True(diff.IsBinary);
        Assert.Empty(diff.Hunks);
    }

    [Fact]
    public async Task A_five_megabyte_diff_is_read_whole()
    {
        using var repository = WithHistory();
        var text = new StringBuilder();
        for (int i = 0; text.Length < 5 * 1024 * 1024; i++)
        {
            text.Append("line ").Append(i).Append(" of a generated table, long enough to add up quickly\n");
        }
        repository.Write("data/table.txt", text.ToString());
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.True(changes.Patch.Length > 5 * 1024 * 1024);
        var diff = Assert.Single(UnifiedDiff.Parse(changes.Patch));
        Assert.Equal(text.ToString().Count(c => c == '\n'), diff.AddedLines);
    }

    [Fact]
    public async Task A_file_name_that_is_not_utf8_is_listed_and_its_blob_read_by_id()
    {
        using var repository = WithHistory();
        repository.Shell("printf 'latin-1 name\\n' > \"$(printf 'caf\\351.txt')\" && git add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        var file = Assert.Single(changes.Files);
        Assert.Equal("caf\uFFFD.txt", file.Path);
        Assert.Equal("latin-1 name\n", Encoding.UTF8.GetString((await git.ReadBlobsAsync([file.NewBlob!], None))[file.NewBlob!]));
        Assert.Equal("caf\uFFFD.txt", Assert.Single(UnifiedDiff.Parse(changes.Patch)).Path);
    }

    [Fact]
    public async Task Crlf_files_keep_their_bytes_in_blobs_and_lose_the_cr_in_parsed_lines()
    {
        using var repository = new TempRepository();
        repository.Write("Windows.cs", "class W\r\n{\r\n}\r\n");
        repository.Commit("Add W");
        repository.Write("Windows.cs", "class W\r\n{\r\n    int X;\r\n}\r\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        var file = Assert.Single(changes.Files);
        Assert.Equal("class W\r\n{\r\n    int X;\r\n}\r\n", Encoding.UTF8.GetString((await git.ReadBlobsAsync([file.NewBlob!], None))[file.NewBlob!]));
        var hunk = Assert.Single(Assert.Single(UnifiedDiff.Parse(changes.Patch)).Hunks);
        Assert.Contains("+    int X;", hunk.Lines);
        Assert.DoesNotContain(hunk.Lines, line => line.Contains('\r'));
    }

    [Fact]
    public async Task A_sparse_index_repository_is_read_with_the_git_command_line()
    {
        using var repository = new TempRepository();
        repository.Write("docs/guide.md", "guide\n");
        repository.Write("src/App.cs", "class App { }\n");
        repository.Commit("Add the app");
        repository.Git("sparse-checkout init --cone --sparse-index");
        repository.Git("sparse-checkout set src");
        repository.Write("src/App.cs", "class App { int Version; }\n");
        repository.Git("add src/App.cs");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(RepositoryReader.CommandLine, git.Reader);
        Assert.Contains(git.Notes, note => note.Contains("libgit2 cannot read this repository"));
        var file = Assert.Single(changes.Files);
        Assert.Equal((FileChangeKind.Modified, "src/App.cs"), (file.Kind, file.Path));
        Assert.Contains("int Version", Encoding.UTF8.GetString((await git.ReadBlobsAsync([file.NewBlob!], None))[file.NewBlob!]));
        Assert.Equal(["Add the app"], await git.RecentSubjectsAsync(50, None));
    }

    [Fact]
    public async Task A_split_index_repository_is_read_with_the_git_command_line()
    {
        using var repository = WithHistory();
        repository.Git("update-index --split-index");
        repository.Write("README.md", "# Split\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(RepositoryReader.CommandLine, git.Reader);
        Assert.Equal("README.md", changes.Files.Single().Path);
    }

    [Fact]
    public async Task A_sha256_repository_is_read_with_the_git_command_line_renames_and_history_included()
    {
        using var repository = new TempRepository("--object-format=sha256");
        repository.Write("Old.cs", "class Old { void Run() { } }\n");
        repository.Commit("Add Old");
        repository.Git("mv Old.cs New.cs");
        repository.Write("New.cs", "class Old { void Run() { } }\n// moved\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository);
        var changes = await git.StagedChangesAsync(None);

        Assert.Equal(RepositoryReader.CommandLine, git.Reader);
        var file = Assert.Single(changes.Files);
        Assert.Equal((FileChangeKind.Renamed, "New.cs", "Old.cs"), (file.Kind, file.Path, file.OldPath));
        Assert.Equal(64, file.OldBlob!.Length);
        var blobs = await git.ReadBlobsAsync([file.OldBlob, file.NewBlob!], None);
        Assert.Equal(2, blobs.Count);
        Assert.Equal(["Add Old"], await git.RecentSubjectsAsync(50, None));
        var commit = (await git.RecentCommitIdsAsync(1, None)).Single();
        Assert.Equal("Old.cs", (await git.CommitChangesAsync(commit, None)).Files.Single().Path);
    }

    [Fact]
    public async Task Without_git_on_path_the_patch_comes_from_libgit2_and_says_so()
    {
        using var repository = WithHistory();
        repository.Write("src/Shelf.cs", "namespace Books;\npublic class Shelf\n{\n    public int Count { get; set; }\n}\n");
        repository.Git("add -A");

        using var git = await OpenAsync(repository, WithoutGit());
        var changes = await git.StagedChangesAsync(None);

        Assert.False(git.HasGitCommandLine);
        Assert.Equal(RepositoryReader.LibGit2Sharp, git.Reader);
        Assert.Contains(changes.Notes, note => note.Contains("git is not on PATH"));
        var hunk = Assert.Single(Assert.Single(UnifiedDiff.Parse(changes.Patch)).Hunks);
        Assert.Contains("-    public int Count { get; }", hunk.Lines);
        Assert.Contains("+    public int Count { get; set; }", hunk.Lines);
    }

    [Fact]
    public async Task Without_git_on_path_a_repository_libgit2_refuses_is_a_clear_error()
    {
        using var repository = new TempRepository("--object-format=sha256");

        var error = await Assert.ThrowsAsync<GitException>(() => OpenAsync(repository, WithoutGit()));

        Assert.Contains("Install git", error.Message);
        Assert.Contains("sha256", error.Message);
    }

    [Fact]
    public async Task A_folder_outside_any_repository_is_a_clear_error_with_and_without_git()
    {
        using var folder = new TempRepository(init: false);
        // The temporary folder's parents are not repositories either; git would find one above otherwise.
        Assert.NotEqual(0, folder.TryGit("rev-parse --git-dir").ExitCode);

        var withGit = await Assert.ThrowsAsync<GitException>(() => OpenAsync(folder));
        var withoutGit = await Assert.ThrowsAsync<GitException>(() => OpenAsync(folder, WithoutGit()));

        Assert.Contains("is not inside a git repository", withGit.Message);
        Assert.Contains("is not inside a git repository", withoutGit.Message);
    }

    [Fact]
    public async Task A_file_path_opens_the_repository_holding_it()
    {
        using var repository = WithHistory();
        using var git = await GitRepository.OpenAsync(Path.Combine(repository.Root, "src", "Shelf.cs"), GitOptions.Default, None);

        Assert.Equal(repository.Root, git.Root);
    }

    [Fact]
    public async Task A_repository_owned_by_another_user_is_refused_and_the_error_says_how_to_trust_it()
    {
        using var repository = WithHistory();
        // We run as root here: chown hands the repository to nobody, which both libgit2 and git refuse to read.
        repository.Shell("chown -R nobody .");
        Assert.Contains("dubious ownership", repository.TryGit("status").Output);

        var withGit = await Assert.ThrowsAsync<GitException>(() => OpenAsync(repository));
        var withoutGit = await Assert.ThrowsAsync<GitException>(() => OpenAsync(repository, WithoutGit()));

        Assert.Contains("owned by another user", withGit.Message);
        Assert.Contains($"git config --global --add safe.directory {repository.Root}", withGit.Message);
        Assert.Contains("owned by another user", withoutGit.Message);
    }

    [Fact]
    public async Task A_commit_of_history_lists_what_it_changed_against_its_parent()
    {
        using var repository = WithHistory();
        repository.Write("README.md", "# Books, revised\n");
        repository.Delete("src/Shelf.cs");
        string commit = repository.Commit("Drop the shelf");

        using var git = await OpenAsync(repository);
        var changes = await git.CommitChangesAsync(commit, None);

        Assert.Equal([(FileChangeKind.Modified, "README.md"), (FileChangeKind.Deleted, "src/Shelf.cs")],
            changes.Files.Select(f => (f.Kind, f.Path)));
        Assert.Equal(2, UnifiedDiff.Parse(changes.Patch).Count);
    }

    [Fact]
    public async Task The_index_git_names_in_GIT_INDEX_FILE_is_the_one_read()
    {
        using var repository = WithHistory();
        repository.Write("README.md", "# Only in the other index\n");
        string otherIndex = Path.Combine(repository.Root, ".git", "other-index");
        File.Copy(Path.Combine(repository.Root, ".git", "index"), otherIndex);
        repository.Shell($"GIT_INDEX_FILE={otherIndex} git add README.md");

        using var git = await OpenAsync(repository, new GitOptions { IndexFile = otherIndex });

        Assert.Equal("README.md", (await git.StagedChangesAsync(None)).Files.Single().Path);
    }
}
