using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using CodeAssist.Lsp;

namespace CodeAssist.Lsp.Tests;

public sealed record TypedParams(int Count);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(TypedParams))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Collections.Immutable.ImmutableList<string>))]
internal sealed partial class TestJson : JsonSerializerContext;

/// <summary>
/// A server built from a handler table, served over in-memory pipes with real framing, and the client end
/// of the same connection class: what a test sends and receives is what an editor would.
/// </summary>
internal sealed class LspPeer<TContext> : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly Channel<IncomingMessage> _fromServer = Channel.CreateUnbounded<IncomingMessage>();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private readonly Task _clientReading;

    public LspPeer(HandlerTable<TContext> handlers, Func<TContext> createContext)
    {
        var server = new JsonRpcConnection(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), Log.Enqueue);
        ServerRun = new RequestQueue<TContext>(server, handlers, createContext, Log.Enqueue).RunAsync(_stop.Token);
        Client = new JsonRpcConnection(_toClient.Reader.AsStream(), _toServer.Writer.AsStream(), ClientLog.Enqueue);
        _clientReading = Task.Run(() => Client.ReadAsync(m => _fromServer.Writer.TryWrite(m), _stop.Token));
    }

    public JsonRpcConnection Client { get; }

    /// <summary>Completes with the server's exit code.</summary>
    public Task<int> ServerRun { get; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>What the client end noticed, such as error responses that answer none of its requests.</summary>
    public ConcurrentQueue<string> ClientLog { get; } = new();

    /// <summary>The raw stream into the server, for frames no well-behaved client would send.</summary>
    public Stream RawInput => _toServer.Writer.AsStream();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public Task<JsonElement> RequestAsync(string method, string parameters = "{}", CancellationToken cancellationToken = default) =>
        Client.SendRequestAsync(method, Json(parameters), TestJson.Default.JsonElement,
            CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token).Token);

    public Task NotifyAsync(string method, string parameters = "{}") =>
        Client.SendNotificationAsync(method, Json(parameters), TestJson.Default.JsonElement);

    public async Task InitializeAsync()
    {
        await RequestAsync("initialize");
        await NotifyAsync("initialized");
    }

    /// <summary>The next request or notification the server sent to the client.</summary>
    public async Task<IncomingMessage> NextFromServerAsync() => await _fromServer.Reader.ReadAsync(_stop.Token);

    public async Task<byte[]> WriteRawAsync(byte[] bytes)
    {
        await RawInput.WriteAsync(bytes, _stop.Token);
        await RawInput.FlushAsync(_stop.Token);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await ServerRun.WaitAsync(_stop.Token);
        await _toClient.Writer.CompleteAsync();
        await _clientReading.WaitAsync(_stop.Token);
        _stop.Dispose();
    }
}
