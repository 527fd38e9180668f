using System.Text.Json;
using CodeAssist.Git.Tests;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Tests;

/// <summary><c>codeassist/commitMessage</c> through the real server, on real repositories.</summary>
public sealed class CommitMessageRequestTests
{
    private static async Task<TestServer> StartAsync(string folder)
    {
        var server = new TestServer();
        await server.InitializeAsync(JsonSerializer.Serialize(new
        {
            capabilities = new { },
            workspaceFolders = new[] { new { uri = new Uri(folder).AbsoluteUri, name = "repo" } },
            initializationOptions = new { indexCache = (string?)null },
        }));
        return server;
    }

    private static Task<JsonElement> CommitMessageAsync(TestServer server, string uri) =>
        server.RequestAsync("codeassist/commitMessage", JsonSerializer.Serialize(new { uri }));

    [Fact]
    public async Task A_staged_rename_answers_the_documented_shape()
    {
        using var repository = new TempRepository();
        repository.Write("src/LendingService.cs", "public sealed class LendingService\n{\n    public void Lend(Member member, BookCopy copy) { }\n}\n");
        repository.Commit("Add the lending service");
        repository.Write("src/LendingService.cs", "public sealed class LendingService\n{\n    public void Checkout(Member member, BookCopy copy) { }\n}\n");
        repository.Git("add -A");
        await using var server = await StartAsync(repository.Root);

        var result = await CommitMessageAsync(server, new Uri(Path.Combine(repository.Root, "src", "LendingService.cs")).AbsoluteUri);

        Assert.Equal("Rename LendingService.Lend to Checkout", result.GetProperty("subject").GetString());
        Assert.Equal("- Rename LendingService.Lend(Member, BookCopy) to LendingService.Checkout(Member, BookCopy)", result.GetProperty("body").GetString());
        Assert.Equal("staged", result.GetProperty("source").GetString());
        var change = Assert.Single(result.GetProperty("apiChanges").EnumerateArray());
        Assert.Equal("renamed", change.GetProperty("kind").GetString());
        Assert.Equal("LendingService.Checkout(Member, BookCopy)", change.GetProperty("symbol").GetString());
        Assert.Equal("LendingService.Lend(Member, BookCopy)", change.GetProperty("oldSymbol").GetString());
        Assert.Equal("src/LendingService.cs", change.GetProperty("file").GetString());
        Assert.Contains(result.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("No model is configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Not_a_repository_nothing_changed_and_a_non_file_uri_are_clear_errors_and_the_server_carries_on()
    {
        using var folder = new TempRepository(init: false);
        using var clean = new TempRepository();
        clean.Write("a.txt", "a\n");
        clean.Commit("Add a");
        await using var server = await StartAsync(folder.Root);

        var notARepository = await Assert.ThrowsAsync<LspException>(() => CommitMessageAsync(server, new Uri(folder.Root).AbsoluteUri));
        var nothing = await Assert.ThrowsAsync<LspException>(() => CommitMessageAsync(server, new Uri(clean.Root).AbsoluteUri));
        var notFile = await Assert.ThrowsAsync<LspException>(() => CommitMessageAsync(server, "untitled:Untitled-1"));

        Assert.Equal((ErrorCodes.RequestFailed, true), (notARepository.Code, notARepository.Message.Contains("is not inside a git repository")));
        Assert.Equal((ErrorCodes.RequestFailed, true), (nothing.Code, nothing.Message.Contains("Nothing to commit")));
        Assert.Equal(ErrorCodes.InvalidParams, notFile.Code);
        Assert.Equal(JsonValueKind.Object, (await server.StatusAsync()).ValueKind);
    }
}
