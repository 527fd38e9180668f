using System.Text.Json;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Tests;

public class LanguageServerTests
{
    private const string Uri = "file:///work/a.cs";

    private static string Open(string text, int version = 1) =>
        JsonSerializer.Serialize(new { textDocument = new { uri = Uri, languageId = "csharp", version, text } });

    private static string Change(int version, int startLine, int startCharacter, int endLine, int endCharacter, string text) =>
        JsonSerializer.Serialize(new
        {
            textDocument = new { uri = Uri, version },
            contentChanges = new[]
            {
                new { range = new { start = new { line = startLine, character = startCharacter }, end = new { line = endLine, character = endCharacter } }, text },
            },
        });

    private static JsonElement OnlyDocument(JsonElement status) => Assert.Single(status.GetProperty("openDocuments").EnumerateArray().ToArray());

    [Fact]
    public async Task Initialize_announces_utf16_positions_and_incremental_sync()
    {
        await using var server = new TestServer();

        var result = await server.InitializeAsync("""{"capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]}}}""");

        var capabilities = result.GetProperty("capabilities");
        Assert.Equal("utf-16", capabilities.GetProperty("positionEncoding").GetString());
        Assert.Equal(2, capabilities.GetProperty("textDocumentSync").GetProperty("change").GetInt32());
        Assert.True(capabilities.GetProperty("textDocumentSync").GetProperty("openClose").GetBoolean());
        Assert.Equal("codeassist", result.GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Incremental_edits_across_a_surrogate_pair_and_crlf_keep_the_document_in_step()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        await server.NotifyAsync("textDocument/didOpen", Open("// 😀 smile\r\nclass A {}\r\n"));
        // Replace "😀 " (three UTF-16 units) and join the first two lines across the CRLF.
        await server.NotifyAsync("textDocument/didChange", Change(2, 0, 3, 0, 6, ""));
        await server.NotifyAsync("textDocument/didChange", Change(3, 0, 8, 1, 0, " "));
        var document = OnlyDocument(await server.StatusAsync());

        Assert.Equal(3, document.GetProperty("version").GetInt32());
        Assert.Equal("// smile class A {}\r\n".Length, document.GetProperty("length").GetInt32());
        Assert.Equal(2, document.GetProperty("lines").GetInt32());
    }

    [Fact]
    public async Task Edits_past_the_end_of_a_line_or_the_document_are_clamped_and_the_server_carries_on()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        await server.NotifyAsync("textDocument/didOpen", Open("ab\ncd"));
        await server.NotifyAsync("textDocument/didChange", Change(2, 0, 400, 0, 500, "X"));
        await server.NotifyAsync("textDocument/didChange", Change(3, 90, 0, 99, 0, "Y"));
        var document = OnlyDocument(await server.StatusAsync());

        Assert.Equal("abX\ncdY".Length, document.GetProperty("length").GetInt32());
        Assert.Equal(3, document.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Changes_to_a_document_never_opened_are_ignored_with_a_log_message()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        await server.NotifyAsync("textDocument/didChange", Change(2, 0, 0, 0, 0, "x"));
        var status = await server.StatusAsync();

        Assert.Empty(status.GetProperty("openDocuments").EnumerateArray());
        Assert.Contains(Uri, server.Stderr.ToString());
    }

    [Fact]
    public async Task Closing_a_document_forgets_it()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        await server.NotifyAsync("textDocument/didOpen", Open("x"));
        await server.NotifyAsync("textDocument/didClose", $$$"""{"textDocument":{"uri":"{{{Uri}}}"}}""");

        Assert.Empty((await server.StatusAsync()).GetProperty("openDocuments").EnumerateArray());
    }

    [Fact]
    public async Task Settings_come_from_initialization_options_and_configuration_changes()
    {
        await using var server = new TestServer();
        await server.InitializeAsync("""{"capabilities":{},"initializationOptions":{"logLevel":"debug","exclude":["gen/**"]}}""");

        var first = (await server.StatusAsync()).GetProperty("settings");
        await server.NotifyAsync("workspace/didChangeConfiguration", """{"settings":{"codeassist":{"logLevel":"warning"}}}""");
        var second = (await server.StatusAsync()).GetProperty("settings");

        Assert.Equal("debug", first.GetProperty("logLevel").GetString());
        Assert.Equal("gen/**", Assert.Single(first.GetProperty("exclude").EnumerateArray().ToArray()).GetString());
        Assert.Equal("warning", second.GetProperty("logLevel").GetString());
        Assert.Equal("gen/**", Assert.Single(second.GetProperty("exclude").EnumerateArray().ToArray()).GetString());
    }

    [Fact]
    public async Task Workspace_folders_come_from_initialize_and_change_notifications()
    {
        await using var server = new TestServer();
        await server.InitializeAsync("""{"capabilities":{},"workspaceFolders":[{"uri":"file:///one","name":"one"}]}""");

        await server.NotifyAsync("workspace/didChangeWorkspaceFolders",
            """{"event":{"added":[{"uri":"file:///two","name":"two"}],"removed":[{"uri":"file:///one","name":"one"}]}}""");
        var folders = (await server.StatusAsync()).GetProperty("workspaceFolders").EnumerateArray().Select(f => f.GetString()!).ToArray();

        Assert.Equal(["file:///two"], folders);
    }

    [Fact]
    public async Task The_root_uri_is_the_workspace_when_no_folders_are_sent()
    {
        await using var server = new TestServer();
        await server.InitializeAsync("""{"capabilities":{},"rootUri":"file:///root"}""");

        var folders = (await server.StatusAsync()).GetProperty("workspaceFolders").EnumerateArray().Select(f => f.GetString()!).ToArray();

        Assert.Equal(["file:///root"], folders);
    }

    [Fact]
    public async Task Status_reports_the_version_and_this_process()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        var status = await server.StatusAsync();

        Assert.Equal(ServerVersion.Text, status.GetProperty("version").GetString());
        Assert.Equal(Environment.ProcessId, status.GetProperty("processId").GetInt32());
    }

    [Fact]
    public async Task Warnings_reach_the_client_as_log_messages()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        await server.NotifyAsync("workspace/didChangeConfiguration", """{"settings":{"logLevel":42}}""");
        var message = await server.NextNotificationAsync("window/logMessage", p => p.GetProperty("message").GetString()!.Contains("logLevel"));

        Assert.Equal(2, message.Params.GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task Params_of_the_wrong_type_get_invalid_params_and_the_server_still_answers()
    {
        await using var server = new TestServer();
        await server.InitializeAsync();

        var failure = await Assert.ThrowsAsync<LspException>(() => server.RequestAsync("codeassist/status", "[1,2]"));
        await server.NotifyAsync("textDocument/didOpen", """{"textDocument":{"uri":5}}""");

        Assert.Equal(ErrorCodes.InvalidParams, failure.Code);
        Assert.Equal(JsonValueKind.Object, (await server.StatusAsync()).ValueKind);
    }

    [Fact]
    public async Task Shutdown_then_exit_ends_with_code_zero_and_exit_alone_with_one()
    {
        await using var orderly = new TestServer();
        await orderly.InitializeAsync();
        await orderly.RequestAsync("shutdown", "null");
        await orderly.NotifyAsync("exit");

        await using var abrupt = new TestServer();
        await abrupt.InitializeAsync();
        await abrupt.NotifyAsync("exit");

        Assert.Equal(0, await orderly.Run);
        Assert.Equal(1, await abrupt.Run);
    }
}
