using System.Net;
using System.Net.Sockets;

namespace CodeAssist.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class RemoteModelTests(TinyModel tiny, RemoteModelTests.ServerFixture fixture) : IClassFixture<RemoteModelTests.ServerFixture>, IDisposable
{
    public sealed class ServerFixture : IDisposable
    {
        private SharedLlamaServer? _shared;

        public LlamaServerProcess Get(TinyModel tiny) => (_shared ??= new SharedLlamaServer(tiny)).Server;

        public void Dispose() => _shared?.Dispose();
    }

    private readonly List<IAsyncDisposable> _models = [];

    private RemoteCodeModel Connect(RemoteApi api, Uri? url = null, TimeSpan? timeout = null, int retries = 2)
    {
        var model = new RemoteCodeModel(new RemoteModelOptions
        {
            BaseUrl = url ?? fixture.Get(tiny).BaseUrl,
            Api = api,
            Model = "tiny",
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(60),
            MaxRetries = retries,
            RetryDelay = TimeSpan.FromMilliseconds(50),
        });
        _models.Add(model);
        return model;
    }

    private static async Task<(string Text, List<CompletionChunk> Chunks)> Collect(IAsyncEnumerable<CompletionChunk> stream)
    {
        var chunks = new List<CompletionChunk>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }
        return (string.Concat(chunks.Select(c => c.Text)), chunks);
    }

    [LlamaServerFact]
    public async Task OpenAiCompletionStreams()
    {
        var model = Connect(RemoteApi.OpenAi);
        var (text, chunks) = await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "int main() {", MaxTokens = 8 }, CancellationToken.None));
        Assert.True(chunks.Count(c => !c.IsFinal) >= 2, $"expected several streamed chunks, got {chunks.Count}");
        Assert.True(chunks[^1].IsFinal);
        Assert.Equal(FinishReason.Length, chunks[^1].FinishReason);
        Assert.False(string.IsNullOrEmpty(text));
    }

    [LlamaServerFact]
    public async Task AFirstIdentifierConstraintIsReportedUnsupported()
    {
        var model = Connect(RemoteApi.LlamaServer);
        var request = new CompletionRequest { Prompt = "book.", MaxTokens = 4, FirstIdentifier = new IdentifierChoice("", ["Title"]) };
        var (_, chunks) = await Collect(model.CompleteAsync(request, CancellationToken.None));
        Assert.Equal(IdentifierConstraintOutcome.Unsupported, chunks[^1].FirstIdentifier);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(IdentifierConstraintOutcome.NotRequested, c.FirstIdentifier));
    }

    [LlamaServerFact]
    public async Task LlamaServerCompletionMatchesTheInProcessGreedyText()
    {
        var model = Connect(RemoteApi.LlamaServer);
        var (text, chunks) = await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "int main() {", MaxTokens = 8 }, CancellationToken.None));
        Assert.Equal(8, chunks[^1].Usage.GeneratedTokens);
        Assert.True(chunks[^1].Usage.PromptTokens > 0);
        await using var local = LlamaCodeModel.Open(tiny.ModelPath, new LlamaCodeModelOptions { Context = new LlamaContextOptions { Threads = 2 } });
        var (localText, _) = await Collect(local.CompleteAsync(new CompletionRequest { Prompt = "int main() {", MaxTokens = 8 }, CancellationToken.None));
        Assert.Equal(localText, text);
    }

    [LlamaServerFact]
    public async Task InfillUsesTheServersFim()
    {
        var model = Connect(RemoteApi.LlamaServer);
        var request = new CompletionRequest
        {
            Fim = new FimPrompt { Prefix = "int Add(int a, int b) {\n    return ", Suffix = ";\n}\n", Snippets = [new ContextSnippet("util.cs", "static int Two() => 2;")] },
            MaxTokens = 6,
        };
        var (_, chunks) = await Collect(model.CompleteAsync(request, CancellationToken.None));
        Assert.True(chunks[^1].IsFinal);
        Assert.InRange(chunks[^1].Usage.GeneratedTokens, 1, 6);
        Assert.True(chunks[^1].Usage.PromptTokens > 10);
    }

    [LlamaServerFact]
    public async Task ChatStreams()
    {
        var model = Connect(RemoteApi.OpenAi);
        var (_, chunks) = await Collect(model.ChatAsync(new ChatRequest { Messages = [new ChatMessage("user", "Hello")], MaxTokens = 6 }, CancellationToken.None));
        Assert.True(chunks[^1].IsFinal);
        Assert.Contains(chunks, c => c.Text.Length > 0);
    }

    [LlamaServerFact]
    public async Task ServerKilledMidStreamIsAClearError()
    {
        using var server = new LlamaServerProcess(tiny.ModelPath);
        var model = Connect(RemoteApi.LlamaServer, server.BaseUrl);
        var received = 0;
        var error = await Assert.ThrowsAsync<ModelException>(async () =>
        {
            await foreach (var chunk in model.CompleteAsync(new CompletionRequest { Prompt = "while (true) {", MaxTokens = 2000 }, CancellationToken.None))
            {
                if (++received == 2)
                {
                    server.Kill();
                }
            }
        });
        Assert.True(received >= 2);
        Assert.Contains(server.BaseUrl.Authority, error.Message);
    }

    [Fact]
    public async Task ServerThatNeverAnswersTimesOut()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            var model = Connect(RemoteApi.OpenAi, url, TimeSpan.FromMilliseconds(500));
            var error = await Assert.ThrowsAsync<ModelException>(async () =>
                await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "x" }, CancellationToken.None)));
            Assert.Contains("within 0.5 s", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task RefusedConnectionIsRetriedThenReported()
    {
        var url = new Uri($"http://127.0.0.1:{LlamaServerProcess.FreePort()}/");
        var model = Connect(RemoteApi.OpenAi, url, retries: 2);
        var error = await Assert.ThrowsAsync<ModelException>(async () =>
            await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "x" }, CancellationToken.None)));
        Assert.Contains("after 3 attempt(s)", error.Message);
    }

    [Fact]
    public async Task CancellationIsNotAnError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            var model = Connect(RemoteApi.OpenAi, url);
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "x" }, cancellation.Token)));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ApiKeyComesFromTheEnvironmentAndNeverAppearsInErrors()
    {
        const string variable = "CODEASSIST_TEST_REMOTE_KEY";
        const string secret = "sk-test-0123456789";
        Environment.SetEnvironmentVariable(variable, secret);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var serve = Task.Run(async () =>
            {
                using var socket = await listener.AcceptTcpClientAsync();
                await using var stream = socket.GetStream();
                var head = new System.Text.StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        break;
                    }
                    head.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                }
                var body = System.Text.Encoding.ASCII.GetBytes("{\"error\":\"bad key\"}");
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 401 Unauthorized\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(body);
                return head.ToString();
            });
            await using var model = new RemoteCodeModel(new RemoteModelOptions
            {
                BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"),
                ApiKeyEnvironmentVariable = variable,
                MaxRetries = 0,
            });
            var error = await Assert.ThrowsAsync<ModelException>(async () =>
                await Collect(model.CompleteAsync(new CompletionRequest { Prompt = "x" }, CancellationToken.None)));
            var request = await serve;
            Assert.Contains($"Authorization: Bearer {secret}", request);
            Assert.Contains(variable, error.Message);
            Assert.DoesNotContain(secret, error.ToString());
        }
        finally
        {
            listener.Stop();
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    public void Dispose()
    {
        foreach (var model in _models)
        {
            model.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
