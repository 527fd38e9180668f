using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Models.Tests;

namespace CodeAssist.Server.Tests;

/// <summary>
/// Inline completion through the real server and the tiny random-weight model: capabilities, both methods, UTF-16
/// ranges, the show/accept notifications and command, the counters, and the answers when nothing can be generated.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class InlineCompletionTests(TinyModel tiny) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("codeassist-completion-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string UriOf(string name) => new Uri(Path.Combine(_root, name)).AbsoluteUri;

    private async Task<TestServer> StartAsync(string? model)
    {
        var server = new TestServer();
        await server.InitializeAsync(JsonSerializer.Serialize(new
        {
            capabilities = new { },
            workspaceFolders = new[] { new { uri = new Uri(_root).AbsoluteUri, name = "app" } },
            initializationOptions = new { indexCache = (string?)null, model, modelOptions = new { threads = 1 }, completion = new { maxTokens = 16 } },
        }));
        // A settled model and a ready index: the same prompt, so the same (noisy) suggestions, on every run.
        while ((await server.StatusAsync()) is var status
               && (status.GetProperty("model").GetProperty("state").GetString() == "loading" || status.GetProperty("index").GetProperty("state").GetString() != "ready"))
        {
            await Task.Delay(20);
        }
        return server;
    }

    private static Task OpenAsync(TestServer server, string uri, string text, string languageId = "csharp") =>
        server.NotifyAsync("textDocument/didOpen", JsonSerializer.Serialize(new { textDocument = new { uri, languageId, version = 1, text } }));

    private static Task<JsonElement> CompleteAsync(TestServer server, string uri, int line, int character, int triggerKind = 1, string method = "textDocument/inlineCompletion") =>
        server.RequestAsync(method, JsonSerializer.Serialize(new { textDocument = new { uri }, position = new { line, character }, context = new { triggerKind } }));

    private static JsonElement[] Items(JsonElement result) => result.GetProperty("items").EnumerateArray().ToArray();

    private static async Task<JsonElement> CompletionStatusAsync(TestServer server) => (await server.StatusAsync()).GetProperty("completion");

    [Fact]
    public async Task Initialize_announces_inline_completion_and_the_accept_command()
    {
        await using var server = new TestServer();
        var result = await server.InitializeAsync();

        var capabilities = result.GetProperty("capabilities");
        Assert.Equal(JsonValueKind.Object, capabilities.GetProperty("inlineCompletionProvider").ValueKind);
        Assert.Contains("codeassist.didAcceptCompletion", capabilities.GetProperty("executeCommandProvider").GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Without_a_model_the_answer_is_an_empty_list_and_status_says_why()
    {
        await using var server = await StartAsync(model: null);
        var uri = UriOf("A.cs");
        await OpenAsync(server, uri, "class A { void M() { var x = } }");

        var result = await CompleteAsync(server, uri, 0, 29);

        Assert.Empty(Items(result));
        var completion = await CompletionStatusAsync(server);
        Assert.Contains("No model is configured", completion.GetProperty("unavailable").GetString());
        Assert.Equal(1, completion.GetProperty("requests").GetInt64());
        Assert.Equal(0, completion.GetProperty("generationsStarted").GetInt64());
    }

    [Fact]
    public async Task Ranges_are_utf16_positions_of_the_clients_text_with_surrogates_and_crlf()
    {
        await using var server = await StartAsync(tiny.ModelPath);
        // Markdown, so no compiler check turns the random model's noise away. Line 2 holds an emoji (two UTF-16 code
        // units) before the cursor; the lines end with CRLF.
        var uri = UriOf("party.md");
        var text = "# Party\r\n\r\nBring 🎉 and \r\nthe rest\r\n";
        await OpenAsync(server, uri, text, languageId: "markdown");
        var line2 = "Bring 🎉 and ";

        var result = await CompleteAsync(server, uri, 2, line2.Length);

        var items = Items(result);
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            var range = item.GetProperty("range");
            Assert.Equal(2, range.GetProperty("start").GetProperty("line").GetInt32());
            Assert.Equal(line2.Length, range.GetProperty("start").GetProperty("character").GetInt32());
            Assert.Equal(2, range.GetProperty("end").GetProperty("line").GetInt32());
            Assert.Equal(line2.Length, range.GetProperty("end").GetProperty("character").GetInt32());
            Assert.DoesNotContain('\n', item.GetProperty("insertText").GetString()!); // one line: the line already holds text
            Assert.Equal("codeassist.didAcceptCompletion", item.GetProperty("command").GetProperty("command").GetString());
        }
    }

    [Fact]
    public async Task Both_methods_answer_alike_and_the_notifications_and_command_are_counted()
    {
        await using var server = await StartAsync(tiny.ModelPath);
        var uri = UriOf("twice.py");
        await OpenAsync(server, uri, "def twice(x):\n    return \n", languageId: "python");

        var standard = await CompleteAsync(server, uri, 1, 11);
        var custom = await CompleteAsync(server, uri, 1, 11, method: "codeassist/inlineCompletion");
        var item = Items(standard)[0];
        var id = item.GetProperty("command").GetProperty("arguments")[0].GetProperty("completionId").GetString();
        var insertText = item.GetProperty("insertText").GetString()!;
        await server.NotifyAsync("codeassist/didShowCompletion", JsonSerializer.Serialize(new { completionId = id }));
        await server.NotifyAsync("codeassist/didPartiallyAcceptCompletion", JsonSerializer.Serialize(new { completionId = id, acceptedLength = 1 }));
        var accepted = await server.RequestAsync("workspace/executeCommand", JsonSerializer.Serialize(new { command = "codeassist.didAcceptCompletion", arguments = new[] { new { completionId = id } } }));

        Assert.Equal(Items(standard).Select(i => i.GetProperty("insertText").GetString()), Items(custom).Select(i => i.GetProperty("insertText").GetString()));
        Assert.Equal(JsonValueKind.Null, accepted.ValueKind);
        var completion = await CompletionStatusAsync(server);
        Assert.Equal(2, completion.GetProperty("requests").GetInt64());
        Assert.Equal(1, completion.GetProperty("answeredFromCache").GetInt64());
        Assert.Equal(1, completion.GetProperty("shown").GetInt64());
        Assert.Equal(1, completion.GetProperty("partiallyAccepted").GetInt64());
        Assert.Equal(1, completion.GetProperty("accepted").GetInt64());
        Assert.Equal(insertText.Length, completion.GetProperty("acceptedCharacters").GetInt64());
        Assert.Equal(JsonValueKind.Null, completion.GetProperty("unavailable").ValueKind);
        Assert.True(completion.GetProperty("promptTokens").GetInt64() > 0);
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors_and_the_server_carries_on()
    {
        await using var server = await StartAsync(model: null);

        var notOpen = await Assert.ThrowsAsync<LspException>(() => CompleteAsync(server, UriOf("Never.cs"), 0, 0));
        var unknownCommand = await Assert.ThrowsAsync<LspException>(() => server.RequestAsync("workspace/executeCommand", """{"command":"codeassist.noSuchThing"}"""));
        var badArguments = await Assert.ThrowsAsync<LspException>(() => server.RequestAsync("workspace/executeCommand", """{"command":"codeassist.didAcceptCompletion","arguments":[42]}"""));
        var badParams = await Assert.ThrowsAsync<LspException>(() => server.RequestAsync("codeassist/inlineCompletion", """{"textDocument":{"uri":5}}"""));

        Assert.Equal(ErrorCodes.RequestFailed, notOpen.Code);
        Assert.Contains("not open", notOpen.Message);
        Assert.Equal(ErrorCodes.InvalidParams, unknownCommand.Code);
        Assert.Equal(ErrorCodes.InvalidParams, badArguments.Code);
        Assert.Equal(ErrorCodes.InvalidParams, badParams.Code);
        Assert.Equal(JsonValueKind.Object, (await server.StatusAsync()).ValueKind);
    }

    [Fact]
    public async Task A_language_outside_the_completion_languages_answers_empty_without_the_model()
    {
        await using var server = await StartAsync(tiny.ModelPath);
        await server.NotifyAsync("workspace/didChangeConfiguration", """{"settings":{"completion":{"languages":["csharp"]}}}""");
        var uri = UriOf("notes.md");
        await OpenAsync(server, uri, "# Notes\n\nSome ", languageId: "markdown");

        var result = await CompleteAsync(server, uri, 2, 5);

        Assert.Empty(Items(result));
        Assert.Equal(0, (await CompletionStatusAsync(server)).GetProperty("generationsStarted").GetInt64());
    }
}
