using CodeAssist.Features.Commit;
using CodeAssist.Features.Prompts;
using CodeAssist.Git;
using CodeAssist.Git.Tests;

namespace CodeAssist.Features.Tests.Commit;

/// <summary>The whole feature on the repositories git makes awkward: each still gets its API change and a subject.</summary>
public sealed class CommitMessageRepositoryTests
{
    private const string Before = "public sealed class Shelf\r\n{\r\n    public void Sort(int by) { }\r\n}\r\n";
    private const string After = "public sealed class Shelf\r\n{\r\n    public void Order(int by) { }\r\n}\r\n";

    private static Task<CommitMessage> WriteAsync(TempRepository repository, GitOptions? git = null) =>
        CommitMessageWriter.WriteAsync(repository.Root, null, PromptLibrary.BuiltIn, new CommitOptions { Git = git ?? GitOptions.Default }, CancellationToken.None);

    private static TempRepository Renamed(string? initArguments = null)
    {
        var repository = new TempRepository(initArguments);
        repository.Write("src/Shelf.cs", Before);
        repository.Commit("Add the shelf");
        repository.Write("src/Shelf.cs", After);
        repository.Git("add -A");
        return repository;
    }

    [Fact]
    public async Task Crlf_sources_binary_files_and_non_utf8_names_are_described()
    {
        using var repository = Renamed();
        repository.WriteBytes("assets/cover.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2]);
        repository.Shell("printf 'x\\n' > \"$(printf 'caf\\351.txt')\" && git add -A");

        var message = await WriteAsync(repository);

        Assert.Equal("Rename Shelf.Sort to Order", message.Subject);
        Assert.Contains(message.ApiChanges, c => c.Kind == ApiChangeKind.FileAdded && c.File == "assets/cover.png");
        Assert.Contains(message.ApiChanges, c => c.Kind == ApiChangeKind.FileAdded && c.File == "caf\uFFFD.txt");
    }

    [Fact]
    public async Task A_sha256_repository_is_described_through_the_git_command_line()
    {
        using var repository = Renamed("--object-format=sha256");

        var message = await WriteAsync(repository);

        Assert.Equal("Rename Shelf.Sort to Order", message.Subject);
        Assert.Contains(message.Notes, n => n.Contains("libgit2 cannot read this repository"));
    }

    [Fact]
    public async Task Without_git_on_path_the_message_is_made_from_libgit2s_patch_and_says_so()
    {
        using var repository = Renamed();
        string nowhere = Path.Combine(Path.GetTempPath(), "codeassist-no-git-" + Guid.NewGuid().ToString("N"));

        var message = await WriteAsync(repository, new GitOptions { SearchPath = nowhere });

        Assert.Equal("Rename Shelf.Sort to Order", message.Subject);
        Assert.Contains(message.Notes, n => n.Contains("git is not on PATH"));
    }
}
