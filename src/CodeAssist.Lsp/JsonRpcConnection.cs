using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CodeAssist.Lsp;

/// <summary>
/// One JSON-RPC 2.0 peer over a pair of streams, usable as server or client: it reads frames, answers
/// those that are not messages, completes our outgoing requests with the peer's responses, and hands
/// requests and notifications to the caller in arrival order.
/// </summary>
public sealed class JsonRpcConnection(Stream input, Stream output, Action<string> log)
{
    private readonly MessageReader _reader = new(input);
    private readonly ConcurrentDictionary<RequestId, TaskCompletionSource<JsonElement>> _pending = new();
    private long _nextId;

    public MessageWriter Writer { get; } = new(output);

    public Task SendNotificationAsync<T>(string method, T parameters, JsonTypeInfo<T> type) =>
        Writer.WriteNotificationAsync(method, parameters, type);

    /// <summary>
    /// Sends a request and waits for its result. An error response becomes an <see cref="LspException"/>;
    /// cancelling sends <c>$/cancelRequest</c> and stops waiting.
    /// </summary>
    public async Task<JsonElement> SendRequestAsync<T>(string method, T parameters, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var id = new RequestId(Interlocked.Increment(ref _nextId));
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        try
        {
            await Writer.WriteRequestAsync(id, method, parameters, type).ConfigureAwait(false);
            return await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Sent here rather than from a token registration: the wait's own registration runs first and may end this
            // method inline, disposing a registration before it ever ran, and the peer would never hear of the cancel.
            _ = CancelAsync(id);
            throw;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Reads until the stream ends. Frames that are not messages are answered here with the JSON-RPC error
    /// they deserve; <paramref name="onMessage"/> runs on the reading thread, so it must only hand off.
    /// </summary>
    public async Task ReadAsync(Action<IncomingMessage> onMessage, CancellationToken cancellationToken)
    {
        while (await _reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            if (frame.Error is { } framingError)
            {
                log($"Unreadable frame: {framingError}");
                await Writer.WriteErrorAsync(null, ErrorCodes.ParseError, $"Parse error: {framingError}").ConfigureAwait(false);
                continue;
            }
            try
            {
                await DispatchAsync(frame.Body!, onMessage).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not IOException)
            {
                // One bad message must never end the session: report it and read the next frame.
                log($"Message dropped: {exception}");
                await Writer.WriteErrorAsync(null, ErrorCodes.InternalError, $"Internal error: {exception.Message}").ConfigureAwait(false);
            }
        }
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException("The connection closed before the peer answered."));
        }
    }

    private async Task DispatchAsync(byte[] body, Action<IncomingMessage> onMessage)
    {
        var message = IncomingMessage.Parse(body, out var error);
        switch (message)
        {
            case null:
                log($"Rejected message: {error.Message}");
                await Writer.WriteErrorAsync(error.Id, error.Code, error.Message).ConfigureAwait(false);
                break;
            case ResponseMessage response:
                Complete(response);
                break;
            default:
                onMessage(message);
                break;
        }
    }

    private void Complete(ResponseMessage response)
    {
        var failure = response.Error.ValueKind == JsonValueKind.Object ? ToException(response.Error) : null;
        if (response.Id is not { } id || !_pending.TryRemove(id, out var pending))
        {
            log(failure is null
                ? $"Response to unknown request {response.Id} ignored"
                : $"The peer reported an error about no request of ours: {failure.Code} {failure.Message}");
            return;
        }
        if (failure is not null)
        {
            pending.TrySetException(failure);
        }
        else
        {
            pending.TrySetResult(response.Result);
        }
    }

    private static LspException ToException(JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : ErrorCodes.UnknownErrorCode;
        var text = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        return new LspException(code, text);
    }

    private Task CancelAsync(RequestId id) =>
        Writer.WriteNotificationAsync("$/cancelRequest", writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteEndObject();
        });
}
