using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Tests;

[JsonSerializable(typeof(JsonElement))]
internal sealed partial class TestJson : JsonSerializerContext;

/// <summary>
/// The real server, composed as <c>codeassist serve</c> composes it, over in-memory pipes with real framing;
/// the test drives it as an editor would, through the client end of the same connection class.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly CancellationTokenSource _stop;
    private readonly Task _clientReading;

    /// <param name="timeout">How long the test may talk to the server at all (60 s unless a test runs a model for longer).</param>
    public TestServer(TimeSpan? timeout = null)
    {
        _stop = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        Run = LanguageServer.RunAsync(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), TextWriter.Synchronized(Stderr), _stop.Token);
        Client = new JsonRpcConnection(_toClient.Reader.AsStream(), _toServer.Writer.AsStream(), _ => { });
        _clientReading = Task.Run(() => Client.ReadAsync(m => FromServer.Writer.TryWrite(m), _stop.Token));
    }

    public JsonRpcConnection Client { get; }

    /// <summary>Completes with the exit code.</summary>
    public Task<int> Run { get; }

    public StringWriter Stderr { get; } = new();

    /// <summary>Requests and notifications the server sent to the client.</summary>
    public Channel<IncomingMessage> FromServer { get; } = Channel.CreateUnbounded<IncomingMessage>();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public Task<JsonElement> RequestAsync(string method, string parameters = "{}") =>
        Client.SendRequestAsync(method, Json(parameters), TestJson.Default.JsonElement, _stop.Token);

    public Task NotifyAsync(string method, string parameters = "{}") =>
        Client.SendNotificationAsync(method, Json(parameters), TestJson.Default.JsonElement);

    public async Task<JsonElement> InitializeAsync(string parameters = """{"capabilities":{}}""")
    {
        var result = await RequestAsync("initialize", parameters);
        await NotifyAsync("initialized");
        return result;
    }

    public Task<JsonElement> StatusAsync() => RequestAsync("codeassist/status");

    public async Task<NotificationMessage> NextNotificationAsync(string method, Func<JsonElement, bool> matches)
    {
        await foreach (var message in FromServer.Reader.ReadAllAsync(_stop.Token))
        {
            if (message is NotificationMessage notification && notification.Method == method && matches(notification.Params))
            {
                return notification;
            }
        }
        throw new InvalidOperationException($"The server closed before sending {method}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await NotifyAsync("exit");
        }
        await Run.WaitAsync(_stop.Token);
        await _toServer.Writer.CompleteAsync();
        await _toClient.Writer.CompleteAsync();
        await _clientReading.WaitAsync(_stop.Token);
        _stop.Dispose();
    }
}
