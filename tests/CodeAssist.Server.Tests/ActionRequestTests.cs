using System.Collections.Concurrent;
using System.Text.Json;
using CodeAssist.Lsp;
using CodeAssist.Models.Tests;

namespace CodeAssist.Server.Tests;

/// <summary>
/// Chat, explain, document, tests and translate through the real server with the tiny random-weight model on samples/:
/// answers stream under the partial result token, cancellation stops the model (the counters say so), the commands make
/// their requests to the client, and bad input gets a clear error.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ActionRequestTests(TinyModel tiny, ActionRequestTests.SmallModel small) : IClassFixture<ActionRequestTests.SmallModel>
{
    /// <summary>
    /// The 51M-parameter random model (8 layers, 512 wide): slow enough on a CPU that a cancellation sent on its first streamed
    /// token arrives while it still has hundreds to generate. The tiny model would finish first.
    /// </summary>
    public sealed class SmallModel : IDisposable
    {
        public SmallModel()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"codeassist-server-tests-small-{Environment.ProcessId}.gguf");
            Models.RandomModel.Write(Path, Models.RandomModelShape.Small, Models.RandomModel.VocabularyPath("starcoder"));
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }

    private static readonly string s_samples = Path.Combine(RepositoryRoot(), "samples");
    private static readonly string s_lending = Path.Combine(s_samples, "src", "Bookshelf.Services", "LendingService.cs");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CodeAssist.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("CodeAssist.sln not found above the test's directory");
    }

    private static string Uri(string path) => new Uri(path).AbsoluteUri;

    /// <summary>A server on samples/ with the tiny model loaded and the index ready; it answers the client's side of the commands.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly Task _pump;

        public Session(TestServer server)
        {
            Server = server;
            _pump = Task.Run(PumpAsync);
        }

        public TestServer Server { get; }

        /// <summary>Every <c>$/progress</c> value, by token, in arrival order.</summary>
        public ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> Progress { get; } = new();

        /// <summary>Requests the server made of the client, in arrival order.</summary>
        public ConcurrentQueue<RequestMessage> Requests { get; } = new();

        /// <summary>Called with each <c>$/progress</c> token as it arrives.</summary>
        public Action<string>? OnProgress { get; set; }

        private volatile bool _handling;

        /// <summary>
        /// Waits until the pump has handled everything the server sent so far. The client reads frames in order and queues
        /// notifications before it completes a later response, so after a response this sees every chunk streamed before it.
        /// </summary>
        public async Task SettledAsync()
        {
            while (Server.FromServer.Reader.Count > 0 || _handling) await Task.Delay(1);
        }

        private async Task PumpAsync()
        {
            var reader = Server.FromServer.Reader;
            while (await reader.WaitToReadAsync())
            {
                // Busy before the first read, so SettledAsync never sees an empty channel while a message is in hand.
                _handling = true;
                while (reader.TryRead(out var message))
                {
                    await HandleAsync(message);
                }
                _handling = false;
            }
        }

        private async Task HandleAsync(IncomingMessage message)
        {
            switch (message)
            {
                case NotificationMessage { Method: "$/progress" } progress:
                    var token = progress.Params.GetProperty("token").ToString();
                    Progress.GetOrAdd(token, _ => new()).Enqueue(progress.Params.GetProperty("value").Clone());
                    OnProgress?.Invoke(token);
                    break;
                case RequestMessage request:
                    Requests.Enqueue(request);
                    var answer = request.Method switch
                    {
                        "workspace/applyEdit" => """{"applied":true}""",
                        "window/showMessageRequest" => """{"title":"Python"}""",
                        _ => "null",
                    };
                    await Server.Client.Writer.WriteResultAsync(request.Id, System.Text.Encoding.UTF8.GetBytes(answer));
                    break;
            }
        }

        public string Streamed(string token) => string.Concat(Progress.GetValueOrDefault(token)?.Select(v => v.GetProperty("text").GetString()) ?? []);

        public async Task<JsonElement> RequestAsync(string method, object parameters)
        {
            var result = await Server.RequestAsync(method, JsonSerializer.Serialize(parameters));
            await SettledAsync();
            return result;
        }

        public async Task<JsonElement> ActionsAsync() => (await Server.StatusAsync()).GetProperty("actions");

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            // The server is gone: nothing more arrives, and the pump may stop.
            Server.FromServer.Writer.TryComplete();
            await _pump;
        }
    }

    private Task<Session> StartAsync(string? model, int maxTokens = 24) =>
        StartAsync(new { indexCache = (string?)null, model, modelOptions = new { contextSize = 2048, threads = 2 }, actions = new { maxTokens } });

    private static async Task<Session> StartAsync(object initializationOptions)
    {
        // Models on a shared CPU: minutes, not seconds.
        var server = new TestServer(TimeSpan.FromMinutes(5));
        var session = new Session(server);
        await server.InitializeAsync(JsonSerializer.Serialize(new
        {
            capabilities = new { },
            workspaceFolders = new[] { new { uri = Uri(s_samples), name = "samples" } },
            initializationOptions,
        }));
        while (true)
        {
            var status = await server.StatusAsync();
            if (status.GetProperty("index").GetProperty("state").GetString() == "ready" && status.GetProperty("model").GetProperty("state").GetString() != "loading") break;
            await Task.Delay(20);
        }
        return session;
    }

    private static int LineOf(string path, string text) => Array.FindIndex(File.ReadAllLines(path), l => l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Chat_streams_its_answer_and_its_references_point_at_real_lines()
    {
        await using var session = await StartAsync(tiny.ModelPath);

        var result = await session.RequestAsync("codeassist/chat", new
        {
            messages = new[] { new { role = "user", content = "What does LendingService.BorrowAsync do?" } },
            partialResultToken = "chat-1",
        });

        Assert.NotEmpty(session.Progress["chat-1"]);
        Assert.Equal(result.GetProperty("text").GetString(), session.Streamed("chat-1"));
        var references = result.GetProperty("references").EnumerateArray().ToArray();
        var first = references[0];
        Assert.Equal(Uri(s_lending), first.GetProperty("uri").GetString());
        Assert.Equal("declares LendingService.BorrowAsync, named in the question", first.GetProperty("reason").GetString());
        var lines = File.ReadAllLines(s_lending);
        var range = first.GetProperty("range");
        var shown = lines[range.GetProperty("start").GetProperty("line").GetInt32()..(range.GetProperty("end").GetProperty("line").GetInt32() + 1)];
        Assert.Contains(shown, l => l.Contains("public async Task<Result<Loan>> BorrowAsync(", StringComparison.Ordinal));
        var actions = await session.ActionsAsync();
        Assert.Equal(1, actions.GetProperty("generationsFinished").GetInt64());
        Assert.Equal("chatml (built in: the model has no chat template)", (await session.Server.StatusAsync()).GetProperty("model").GetProperty("chatTemplate").GetString());
    }

    [Fact]
    public async Task Cancelling_a_chat_mid_stream_stops_the_model_at_once()
    {
        await using var session = await StartAsync(small.Path, maxTokens: 512);
        using var cancellation = new CancellationTokenSource();
        session.OnProgress = token =>
        {
            if (token == "cancel-1") cancellation.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.Server.Client.SendRequestAsync("codeassist/chat", TestServer.Json(JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = "Explain LendingService in detail." } },
            budgetTokens = 64, // a short prompt: the small model reads it in seconds even on a busy machine
            partialResultToken = "cancel-1",
        })), TestJson.Default.JsonElement, cancellation.Token));
        JsonElement actions;
        while ((actions = await session.ActionsAsync()).GetProperty("generationsCancelled").GetInt64() == 0) await Task.Delay(10);
        var afterwards = await session.ActionsAsync();

        Assert.Equal(0, actions.GetProperty("generationsFinished").GetInt64());
        Assert.True(actions.GetProperty("generatedTokens").GetInt64() < 512, $"{actions.GetProperty("generatedTokens")} tokens were generated");
        Assert.Equal(actions.GetProperty("generatedTokens").GetInt64(), afterwards.GetProperty("generatedTokens").GetInt64());
        Assert.NotEmpty(session.Progress["cancel-1"]);
        Assert.Equal(1, (await session.RequestAsync("codeassist/status", new { })).GetProperty("actions").GetProperty("generationsStarted").GetInt64());
    }

    [Fact]
    public async Task Explain_document_tests_and_translate_finish_with_their_results()
    {
        await using var session = await StartAsync(tiny.ModelPath);
        int borrow = LineOf(s_lending, "public async Task<Result<Loan>> BorrowAsync(");
        var textDocument = new { uri = Uri(s_lending) };
        var range = new { start = new { line = borrow, character = 0 }, end = new { line = borrow + 1, character = 0 } };

        var explained = await session.RequestAsync("codeassist/explain", new { textDocument, range, partialResultToken = "explain-1" });
        var documented = await session.RequestAsync("codeassist/document", new { textDocument, range });
        var tests = await session.RequestAsync("codeassist/generateTests", new { textDocument, range, partialResultToken = "tests-1" });
        var translated = await session.RequestAsync("codeassist/translate", new { textDocument, range, language = "python" });

        Assert.Equal(explained.GetProperty("text").GetString(), session.Streamed("explain-1"));
        Assert.Equal(Uri(s_lending), explained.GetProperty("references")[0].GetProperty("uri").GetString());
        Assert.Equal("the selection", explained.GetProperty("references")[0].GetProperty("reason").GetString());
        Assert.Equal(["LendingService.BorrowAsync(Guid, Isbn, CancellationToken): already documented"], documented.GetProperty("skipped").EnumerateArray().Select(e => e.GetString()));
        foreach (var change in documented.GetProperty("edit").GetProperty("documentChanges").EnumerateArray())
        {
            foreach (var edit in change.GetProperty("edits").EnumerateArray())
                Assert.All(edit.GetProperty("newText").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("///", line.Trim()));
        }
        // The random model writes no test: every round is rejected, and the answer says why.
        Assert.False(tests.GetProperty("compiles").GetBoolean());
        Assert.Equal(4, tests.GetProperty("rounds").GetInt32());
        Assert.Equal("CA0001", tests.GetProperty("diagnostics")[0].GetProperty("code").GetString());
        Assert.Equal("xunit", tests.GetProperty("framework").GetString());
        Assert.EndsWith("/samples/tests/Bookshelf.Tests/LendingServiceGeneratedTests.cs", tests.GetProperty("uri").GetString());
        var changes = tests.GetProperty("edit").GetProperty("documentChanges");
        Assert.Equal("create", changes[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, changes[1].GetProperty("textDocument").GetProperty("version").ValueKind);
        Assert.Equal([1, 2, 3, 4], session.Progress["tests-1"].Select(v => v.GetProperty("round").GetInt32()).Distinct());
        Assert.Equal("python", translated.GetProperty("language").GetString());
        Assert.Equal(JsonValueKind.Null, translated.GetProperty("compiles").ValueKind);
    }

    [Fact]
    public async Task Code_actions_run_as_commands_that_apply_edits_and_ask_for_a_language()
    {
        await using var session = await StartAsync(tiny.ModelPath);
        int borrow = LineOf(s_lending, "public async Task<Result<Loan>> BorrowAsync(");
        var cursor = new { start = new { line = borrow + 2, character = 8 }, end = new { line = borrow + 2, character = 8 } };

        var actions = await session.RequestAsync("textDocument/codeAction", new { textDocument = new { uri = Uri(s_lending) }, range = cursor, context = new { diagnostics = Array.Empty<object>() } });
        var filtered = await session.RequestAsync("textDocument/codeAction", new { textDocument = new { uri = Uri(s_lending) }, range = cursor, context = new { diagnostics = Array.Empty<object>(), only = new[] { "quickfix" } } });
        var argument = actions[0].GetProperty("command").GetProperty("arguments")[0];
        var documented = await session.RequestAsync("workspace/executeCommand", new { command = "codeassist.document", arguments = new[] { argument } });
        var translated = await session.RequestAsync("workspace/executeCommand", new { command = "codeassist.translate", arguments = new[] { argument } });

        Assert.Equal(["Explain", "Add documentation", "Generate tests", "Translate to…"], actions.EnumerateArray().Select(a => a.GetProperty("title").GetString()));
        Assert.All(actions.EnumerateArray(), a => Assert.Equal("refactor.codeassist", a.GetProperty("kind").GetString()));
        Assert.Equal(0, filtered.GetArrayLength());
        // The empty range became the member around the cursor: BorrowAsync, from its first line.
        Assert.Equal(borrow, argument.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        Assert.True(documented.TryGetProperty("documented", out _));
        Assert.Contains(session.Requests, r => r.Method == "window/showMessageRequest");
        Assert.Equal("python", translated.GetProperty("language").GetString());
        if (documented.GetProperty("edit").GetProperty("documentChanges").GetArrayLength() > 0)
            Assert.Contains(session.Requests, r => r.Method == "workspace/applyEdit");
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_the_server_keeps_serving()
    {
        await using var session = await StartAsync(tiny.ModelPath);
        int borrow = LineOf(s_lending, "public async Task<Result<Loan>> BorrowAsync(");
        var range = new { start = new { line = borrow, character = 0 }, end = new { line = borrow + 1, character = 0 } };
        var empty = new { start = new { line = borrow, character = 4 }, end = new { line = borrow, character = 4 } };
        var reversed = new { start = new { line = borrow + 1, character = 0 }, end = new { line = borrow, character = 0 } };
        var hugePath = Path.Combine(s_samples, "src", "Bookshelf.Core", "Huge.cs");
        var huge = "class Huge {\n" + string.Concat(Enumerable.Repeat("    int field;\n", 360_000)) + "}\n";
        await session.Server.NotifyAsync("textDocument/didOpen", JsonSerializer.Serialize(new { textDocument = new { uri = Uri(hugePath), languageId = "csharp", version = 1, text = huge } }));

        async Task<LspException> Refused(string method, object parameters) =>
            await Assert.ThrowsAsync<LspException>(() => session.RequestAsync(method, parameters));

        var emptySelection = await Refused("codeassist/explain", new { textDocument = new { uri = Uri(s_lending) }, range = empty });
        var unknownLanguage = await Refused("codeassist/translate", new { textDocument = new { uri = Uri(s_lending) }, range, language = "cobol" });
        var twoFiles = await Refused("workspace/executeCommand", new
        {
            command = "codeassist.explain",
            arguments = new[] { new { textDocument = new { uri = Uri(s_lending) }, range }, new { textDocument = new { uri = Uri(hugePath) }, range } },
        });
        var tooLarge = await Refused("codeassist/explain", new { textDocument = new { uri = Uri(hugePath) }, range = new { start = new { line = 0, character = 0 }, end = new { line = 400_000, character = 0 } } });
        var longQuestion = await Refused("codeassist/chat", new { messages = new[] { new { role = "user", content = string.Concat(Enumerable.Repeat("why is this so? ", 2000)) } } });
        var backwards = await Refused("codeassist/explain", new { textDocument = new { uri = Uri(s_lending) }, range = reversed });
        var unknownCommand = await Refused("workspace/executeCommand", new { command = "codeassist.nothing" });

        Assert.Equal((ErrorCodes.RequestFailed, "The selection is empty: select the code to explain."), (emptySelection.Code, emptySelection.Message));
        Assert.Equal(ErrorCodes.RequestFailed, unknownLanguage.Code);
        Assert.StartsWith("'cobol' is not a language the translator knows; choose one of csharp, java, python, typescript", unknownLanguage.Message);
        Assert.Equal(ErrorCodes.InvalidParams, twoFiles.Code);
        Assert.Contains("one selection in one document (got 2)", twoFiles.Message);
        Assert.Equal(ErrorCodes.RequestFailed, tooLarge.Code);
        Assert.Contains("is far larger than the model's window of 2,048 tokens: select less.", tooLarge.Message);
        Assert.Equal(ErrorCodes.RequestFailed, longQuestion.Code);
        Assert.Contains("shorten it", longQuestion.Message);
        Assert.Equal((ErrorCodes.InvalidParams, "range.start is after range.end"), (backwards.Code, backwards.Message));
        Assert.Equal(ErrorCodes.InvalidParams, unknownCommand.Code);
        Assert.Equal(0, (await session.ActionsAsync()).GetProperty("generationsStarted").GetInt64());
        Assert.Equal("ready", (await session.Server.StatusAsync()).GetProperty("index").GetProperty("state").GetString());
    }

    [LlamaServerFact]
    public async Task Chat_and_translate_work_through_a_remote_openai_compatible_server()
    {
        using var remote = new LlamaServerProcess(tiny.ModelPath);
        // The window is given smaller than the server's 2048: a remote model's tokens are estimated (4 characters each).
        await using var session = await StartAsync(new { indexCache = (string?)null, remote = new { url = remote.BaseUrl.ToString(), api = "openai", contextSize = 1536 }, actions = new { maxTokens = 16 } });
        int borrow = LineOf(s_lending, "public async Task<Result<Loan>> BorrowAsync(");

        var chat = await session.RequestAsync("codeassist/chat", new
        {
            messages = new[] { new { role = "user", content = "What does LendingService.BorrowAsync do?" } },
            partialResultToken = "remote-1",
        });
        var translated = await session.RequestAsync("codeassist/translate", new
        {
            textDocument = new { uri = Uri(s_lending) },
            range = new { start = new { line = borrow, character = 0 }, end = new { line = borrow + 1, character = 0 } },
            language = "go",
        });

        Assert.Equal(chat.GetProperty("text").GetString(), session.Streamed("remote-1"));
        Assert.NotEmpty(session.Progress["remote-1"]);
        Assert.Equal("declares LendingService.BorrowAsync, named in the question", chat.GetProperty("references")[0].GetProperty("reason").GetString());
        Assert.Equal("go", translated.GetProperty("language").GetString());
        var status = await session.Server.StatusAsync();
        Assert.Equal("remote", status.GetProperty("model").GetProperty("backend").GetString());
        Assert.Equal(2, status.GetProperty("actions").GetProperty("generationsFinished").GetInt64());
    }

    [Fact]
    public async Task Without_a_model_every_action_says_how_to_set_one()
    {
        await using var session = await StartAsync(model: null);

        var refused = await Assert.ThrowsAsync<LspException>(() => session.RequestAsync("codeassist/chat", new { messages = new[] { new { role = "user", content = "hello?" } } }));

        Assert.Equal(ErrorCodes.RequestFailed, refused.Code);
        Assert.StartsWith("No model is configured: set the 'model' setting", refused.Message);
    }
}
