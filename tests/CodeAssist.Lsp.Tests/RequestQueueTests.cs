using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace CodeAssist.Lsp.Tests;

public sealed class RequestQueueTests
{
    /// <summary>
    /// A tiny server for the queue's rules: "append" mutates a list, "read" answers the list as of the
    /// request's place in the queue, "wait" blocks until released or cancelled.
    /// </summary>
    private sealed class TestServer
    {
        public volatile ImmutableList<string> Items = [];
        public readonly TaskCompletionSource MutationGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource WaitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HandlerTable<ImmutableList<string>> Handlers => new HandlerTable<ImmutableList<string>>()
            .Request("initialize", mutates: true, TestJson.Default.JsonElement, TestJson.Default.JsonElement,
                (_, _, _) => Task.FromResult(LspPeer<int>.Json("{\"capabilities\":{}}")))
            .Notification("initialized", mutates: true, TestJson.Default.JsonElement, (_, _, _) => Task.CompletedTask)
            .Request("shutdown", mutates: true, (_, _) => Task.CompletedTask)
            .Notification("append", mutates: true, TestJson.Default.JsonElement, (p, _, _) =>
            {
                Items = Items.Add(p.GetProperty("item").GetString()!);
                return Task.CompletedTask;
            })
            .Notification("gatedAppend", mutates: true, TestJson.Default.JsonElement, async (p, _, _) =>
            {
                await MutationGate.Task;
                Items = Items.Add(p.GetProperty("item").GetString()!);
            })
            .Request("read", mutates: false, TestJson.Default.JsonElement, TestJson.Default.JsonElement,
                (_, snapshot, _) => Task.FromResult(LspPeer<int>.Json(JsonSerializer.Serialize(snapshot, TestJson.Default.ImmutableListString))))
            .Request("gatedRead", mutates: false, TestJson.Default.JsonElement, TestJson.Default.JsonElement, async (_, snapshot, _) =>
            {
                await ReadGate.Task;
                return LspPeer<int>.Json(JsonSerializer.Serialize(snapshot, TestJson.Default.ImmutableListString));
            })
            .Request("wait", mutates: false, TestJson.Default.JsonElement, TestJson.Default.JsonElement, async (_, _, cancellationToken) =>
            {
                WaitStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return default;
            })
            .Request("fail", mutates: false, TestJson.Default.JsonElement, TestJson.Default.JsonElement,
                (p, _, _) => p.TryGetProperty("code", out var code)
                    ? throw new LspException(code.GetInt32(), "user-facing failure")
                    : throw new InvalidOperationException("a bug"))
            .Request("typed", mutates: false, TestJson.Default.TypedParams, TestJson.Default.JsonElement,
                (p, _, _) => Task.FromResult(LspPeer<int>.Json($"{{\"count\":{p.Count}}}")));

        public LspPeer<ImmutableList<string>> Start() => new(Handlers, () => Items);
    }

    private static async Task<int> ErrorCodeOf(Task request) => (await Assert.ThrowsAsync<LspException>(() => request)).Code;

    [Fact]
    public async Task Requests_before_initialize_are_refused_and_notifications_dropped()
    {
        var server = new TestServer();
        await using var peer = server.Start();

        await peer.NotifyAsync("append", "{\"item\":\"early\"}");
        Assert.Equal(ErrorCodes.ServerNotInitialized, await ErrorCodeOf(peer.RequestAsync("read")));

        await peer.InitializeAsync();
        Assert.Equal("[]", (await peer.RequestAsync("read")).GetRawText());
    }

    [Fact]
    public async Task A_second_initialize_is_an_invalid_request()
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();

        Assert.Equal(ErrorCodes.InvalidRequest, await ErrorCodeOf(peer.RequestAsync("initialize")));
    }

    [Fact]
    public async Task Unknown_methods_get_method_not_found_and_unknown_notifications_are_ignored()
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();

        await peer.NotifyAsync("no/such/notification");
        await peer.NotifyAsync("$/setTrace");
        Assert.Equal(ErrorCodes.MethodNotFound, await ErrorCodeOf(peer.RequestAsync("no/such/request")));
        // A notification's name used as a request is unknown too.
        Assert.Equal(ErrorCodes.MethodNotFound, await ErrorCodeOf(peer.RequestAsync("append", "{\"item\":\"x\"}")));
        Assert.Equal("[]", (await peer.RequestAsync("read")).GetRawText());
    }

    [Theory]
    [InlineData("{\"count\":\"three\"}")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("5")]
    public async Task Params_of_the_wrong_shape_get_invalid_params(string parameters)
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();

        Assert.Equal(ErrorCodes.InvalidParams, await ErrorCodeOf(peer.RequestAsync("typed", parameters)));
        Assert.Equal("{\"count\":3}", (await peer.RequestAsync("typed", "{\"count\":3}")).GetRawText());
    }

    [Fact]
    public async Task Handler_failures_keep_their_code_or_become_internal_errors_and_the_server_carries_on()
    {
        var server = new TestServer();
        await using var peer = server.Start();
        await peer.InitializeAsync();

        Assert.Equal(ErrorCodes.RequestFailed, await ErrorCodeOf(peer.RequestAsync("fail", $"{{\"code\":{ErrorCodes.RequestFailed}}}")));
        Assert.Equal(ErrorCodes.InternalError, await ErrorCodeOf(peer.RequestAsync("fail")));
        Assert.Contains(peer.Log, line => line.Contains("a bug") && line.Contains("InvalidOperationException"));
        Assert.Equal("[]", (await peer.RequestAsync("read")).GetRawText());
    }

    [Fact]
    public async Task A_request_cancelled_in_flight_stops_and_is_answered_request_cancelled()
    {
        var server = new TestServer();
        await using var peer = server.Start();
        await peer.InitializeAsync();

        var waiting = peer.Client.SendRequestAsync("wait", LspPeer<int>.Json("{}"), TestJson.Default.JsonElement, CancellationToken.None);
        await server.WaitStarted.Task;
        // The client numbers its requests from 1 and "initialize" was the first; "wait" only ends when its token fires.
        await peer.Client.SendNotificationAsync("$/cancelRequest", LspPeer<int>.Json("{\"id\":2}"), TestJson.Default.JsonElement);

        Assert.Equal(ErrorCodes.RequestCancelled, await ErrorCodeOf(waiting));
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_behind_a_mutation_never_runs()
    {
        var server = new TestServer();
        await using var peer = server.Start();
        await peer.InitializeAsync();
        using var cancellation = new CancellationTokenSource();

        await peer.NotifyAsync("gatedAppend", "{\"item\":\"slow\"}");
        var queued = peer.RequestAsync("read", cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        server.MutationGate.SetResult();

        // The server answered the cancelled request with RequestCancelled and then served the next one.
        Assert.Equal("[\"slow\"]", (await peer.RequestAsync("read")).GetRawText());
    }

    [Fact]
    public async Task Mutations_apply_in_order_and_each_read_sees_the_state_of_its_place_in_the_queue()
    {
        var server = new TestServer();
        await using var peer = server.Start();
        await peer.InitializeAsync();

        var reads = new List<Task<JsonElement>>();
        for (var i = 0; i < 50; i++)
        {
            await peer.NotifyAsync("append", $"{{\"item\":\"{i}\"}}");
            reads.Add(peer.RequestAsync("read"));
        }

        var answers = await Task.WhenAll(reads);
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, i + 1).Select(n => n.ToString()), answers[i].EnumerateArray().Select(e => e.GetString()));
        }
    }

    [Fact]
    public async Task Reads_run_concurrently_so_a_slow_read_does_not_hold_up_the_next()
    {
        var server = new TestServer();
        await using var peer = server.Start();
        await peer.InitializeAsync();

        var slow = peer.RequestAsync("gatedRead");
        await peer.NotifyAsync("append", "{\"item\":\"after\"}");
        var fast = await peer.RequestAsync("read");

        Assert.False(slow.IsCompleted);
        Assert.Equal("[\"after\"]", fast.GetRawText());
        server.ReadGate.SetResult();
        // The slow read still answers from the snapshot it was handed, before the append.
        Assert.Equal("[]", (await slow).GetRawText());
    }

    [Fact]
    public async Task Exit_after_shutdown_ends_with_code_zero_and_requests_between_are_refused()
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();

        await peer.RequestAsync("shutdown");
        Assert.Equal(ErrorCodes.InvalidRequest, await ErrorCodeOf(peer.RequestAsync("read")));
        await peer.NotifyAsync("exit");

        Assert.Equal(0, await peer.ServerRun);
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_with_code_one()
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();

        await peer.NotifyAsync("exit");

        Assert.Equal(1, await peer.ServerRun);
    }

    [Theory]
    [InlineData("{not json", ErrorCodes.ParseError)]
    [InlineData("[]", ErrorCodes.InvalidRequest)]
    [InlineData("5", ErrorCodes.InvalidRequest)]
    [InlineData("{\"id\":1,\"method\":\"read\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"read\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}", ErrorCodes.InvalidRequest)]
    public async Task Bodies_that_are_not_messages_get_the_right_error_and_the_server_carries_on(string body, int code)
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();
        var bytes = Encoding.UTF8.GetBytes(body);

        await peer.WriteRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"), .. bytes]);

        // Errors without a readable id reach no pending request: the client sees them as stray responses,
        // so check through a request after them that the server answered and still serves.
        Assert.Equal("[]", (await peer.RequestAsync("read")).GetRawText());
        Assert.Contains(peer.Log, line => line.Contains("Rejected message"));
        Assert.Contains(peer.ClientLog, line => line.Contains($"error about no request of ours: {code} "));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_body_is_a_parse_error()
    {
        await using var peer = new TestServer().Start();
        await peer.InitializeAsync();
        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"method\":\"append\",\"params\":{\"item\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        await peer.WriteRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);

        Assert.Equal("[]", (await peer.RequestAsync("read")).GetRawText());
        Assert.Contains(peer.ClientLog, line => line.Contains($"{ErrorCodes.ParseError} Parse error: the body is not valid UTF-8"));
    }
}
