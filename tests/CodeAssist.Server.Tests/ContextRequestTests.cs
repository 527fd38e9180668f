using System.Text.Json;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Tests;

/// <summary><c>codeassist/context</c> through the real server: the index follows the client's text, not the disk's.</summary>
public sealed class ContextRequestTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("codeassist-context-").FullName;

    public ContextRequestTests()
    {
        File.WriteAllText(Path.Combine(_root, "Shelf.cs"), """
            namespace Library;

            /// <summary>Where books stand.</summary>
            public sealed class Shelf
            {
                public int Capacity { get; }
                public void Store(string title) { }
            }
            """);
        File.WriteAllText(Path.Combine(_root, "Ledger.cs"), """
            namespace Library;

            public sealed class Ledger
            {
                public void Record(string entry) { }
            }
            """);
        File.WriteAllText(Path.Combine(_root, "Desk.cs"), "namespace Library;\n\npublic class Desk\n{\n}\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string UriOf(string name) => new Uri(Path.Combine(_root, name)).AbsoluteUri;

    private async Task<TestServer> StartAsync()
    {
        var server = new TestServer();
        // A temporary folder's index is not worth keeping in the user's cache.
        await server.InitializeAsync(JsonSerializer.Serialize(new
        {
            capabilities = new { },
            workspaceFolders = new[] { new { uri = new Uri(_root).AbsoluteUri, name = "library" } },
            initializationOptions = new { indexCache = (string?)null },
        }));
        while ((await server.StatusAsync()).GetProperty("index").GetProperty("state").GetString() != "ready")
        {
            await Task.Delay(20);
        }
        return server;
    }

    private static Task<JsonElement> ContextAsync(TestServer server, string uri, int line, int character, int budget = 1000) =>
        server.RequestAsync("codeassist/context", JsonSerializer.Serialize(new { textDocument = new { uri }, position = new { line, character }, budgetTokens = budget }));

    private static string[] Texts(JsonElement result) => result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).ToArray();

    [Fact]
    public async Task Members_of_the_receiver_come_from_the_other_file_with_its_uri_and_range()
    {
        await using var server = await StartAsync();
        var desk = UriOf("Desk.cs");
        const string text = "namespace Library;\n\npublic class Desk\n{\n    void Work(Shelf shelf)\n    {\n        shelf.\n    }\n}\n";
        await server.NotifyAsync("textDocument/didOpen", JsonSerializer.Serialize(new { textDocument = new { uri = desk, languageId = "csharp", version = 1, text } }));

        var result = await ContextAsync(server, desk, 6, 14);

        var items = result.GetProperty("items").EnumerateArray().ToArray();
        var store = Assert.Single(items, i => i.GetProperty("text").GetString()!.Contains("Store(string title)"));
        Assert.Equal(UriOf("Shelf.cs"), store.GetProperty("uri").GetString());
        Assert.Equal(6, store.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        Assert.DoesNotContain(items, i => i.GetProperty("uri").GetString() == desk);
        Assert.InRange(result.GetProperty("tokens").GetInt32(), 1, 1000);
    }

    [Fact]
    public async Task An_edit_the_client_sends_changes_the_answer_before_anything_is_saved()
    {
        await using var server = await StartAsync();
        var desk = UriOf("Desk.cs");
        const string text = "namespace Library;\n\npublic class Desk\n{\n    void Work(Shelf shelf)\n    {\n        shelf.\n    }\n}\n";
        await server.NotifyAsync("textDocument/didOpen", JsonSerializer.Serialize(new { textDocument = new { uri = desk, languageId = "csharp", version = 1, text } }));
        var before = Texts(await ContextAsync(server, desk, 6, 14));

        await server.NotifyAsync("textDocument/didChange", JsonSerializer.Serialize(new
        {
            textDocument = new { uri = desk, version = 2 },
            contentChanges = new[] { new { range = new { start = new { line = 4, character = 14 }, end = new { line = 6, character = 14 } }, text = "Ledger ledger)\n    {\n        ledger." } },
        }));
        var after = Texts(await ContextAsync(server, desk, 6, 15));

        Assert.Contains(before, t => t.Contains("Store("));
        Assert.Contains(after, t => t.Contains("Record(string entry)"));
        Assert.Contains("Ledger", after[0]);
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors_and_the_server_still_answers()
    {
        await using var server = await StartAsync();

        var notFile = await Assert.ThrowsAsync<LspException>(() => ContextAsync(server, "untitled:Untitled-1", 0, 0));
        var negative = await Assert.ThrowsAsync<LspException>(() => ContextAsync(server, UriOf("Desk.cs"), 0, 0, budget: -1));
        var outside = await Assert.ThrowsAsync<LspException>(() => ContextAsync(server, new Uri("/nowhere/else/Other.cs").AbsoluteUri, 0, 0));
        var pastTheEnd = await ContextAsync(server, UriOf("Desk.cs"), 500, 500);

        Assert.Equal(ErrorCodes.InvalidParams, notFile.Code);
        Assert.Equal(ErrorCodes.InvalidParams, negative.Code);
        Assert.Equal(ErrorCodes.RequestFailed, outside.Code);
        Assert.Contains("outside the workspace", outside.Message);
        Assert.Equal(JsonValueKind.Array, pastTheEnd.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Status_reports_the_index()
    {
        await using var server = await StartAsync();

        var index = (await server.StatusAsync()).GetProperty("index");

        Assert.Equal(3, index.GetProperty("filesIndexed").GetInt32());
        Assert.True(index.GetProperty("lines").GetInt64() >= 20);
    }
}
