using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace CodeAssist.Lsp;

/// <summary>
/// Runs a language server's messages the way Roslyn's CLaSP queue does. Every request and notification
/// enters one FIFO in arrival order. One loop takes them out, checks the lifecycle, and builds the
/// handler's context there, so the context reflects every earlier message and no later one. A mutating
/// handler is awaited before the next message is taken; any other handler is started on the thread pool
/// and the loop moves on, so reads run concurrently, each on the state of its queue position.
/// </summary>
/// <remarks>
/// Failure policy: a failed read is answered with its error and the server carries on. A failed mutation is
/// logged and the server carries on too: documents are mirrored one by one, so a bad notification leaves
/// the others right, and surviving bad input matters more to us than CLaSP's stop-on-unknown-state.
/// <c>$/cancelRequest</c> is acted on as it is read, ahead of the queue, so it reaches queued requests too.
/// </remarks>
public sealed class RequestQueue<TContext>(
    JsonRpcConnection connection,
    HandlerTable<TContext> handlers,
    Func<TContext> createContext,
    Action<string> log)
{
    private enum Lifecycle { WaitingForInitialize, Running, ShutDown }

    private readonly Channel<IncomingMessage> _messages =
        Channel.CreateUnbounded<IncomingMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Owned by the queue loop.</summary>
    private Lifecycle _lifecycle;

    /// <summary>
    /// Reads and serves messages until <c>exit</c> or the end of the input. Returns the process exit code
    /// the LSP specification asks for: 0 when <c>shutdown</c> came first, 1 otherwise.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var reading = Task.Run(async () =>
        {
            try
            {
                await connection.ReadAsync(Accept, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                log($"Input closed: {exception.Message}");
            }
            finally
            {
                _messages.Writer.TryComplete();
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var message in _messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (message is NotificationMessage { Method: Methods.Exit })
                {
                    break;
                }
                await DispatchAsync(message).ConfigureAwait(false);
            }
        }
        finally
        {
            _stopping.Cancel();
        }
        return _lifecycle == Lifecycle.ShutDown ? 0 : 1;
    }

    /// <summary>Runs on the reading thread: registers a request's cancellation before anything can run it.</summary>
    private void Accept(IncomingMessage message)
    {
        switch (message)
        {
            case NotificationMessage { Method: Methods.CancelRequest } cancel:
                Cancel(cancel.Params);
                return;
            case RequestMessage request:
                _inFlight.TryAdd(request.Id, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
                break;
        }
        _messages.Writer.TryWrite(message);
    }

    private async Task DispatchAsync(IncomingMessage message)
    {
        var (method, parameters, id) = message switch
        {
            RequestMessage r => (r.Method, r.Params, (RequestId?)r.Id),
            NotificationMessage n => (n.Method, n.Params, null),
            _ => throw new InvalidOperationException("responses are completed by the connection"),
        };

        if (Refusal(method) is { } refusal)
        {
            if (id is { } refusedId)
            {
                Forget(refusedId);
                await connection.Writer.WriteErrorAsync(refusedId, refusal.Code, refusal.Message).ConfigureAwait(false);
            }
            return;
        }

        var handler = handlers.Find(method);
        if (handler is null || handler.IsRequest != id.HasValue)
        {
            if (id is { } unknownId)
            {
                Forget(unknownId);
                await connection.Writer.WriteErrorAsync(unknownId, ErrorCodes.MethodNotFound, $"Method not found: {method}").ConfigureAwait(false);
            }
            else if (!method.StartsWith("$/", StringComparison.Ordinal))
            {
                // The spec lets servers ignore notifications they do not know; "$/" ones silently.
                log($"Ignored notification '{method}'");
            }
            return;
        }

        var context = createContext();
        if (handler.Mutates)
        {
            var succeeded = await ExecuteAsync(handler, parameters, id, context).ConfigureAwait(false);
            if (succeeded)
            {
                AdvanceLifecycle(method);
            }
        }
        else
        {
            _ = Task.Run(() => ExecuteAsync(handler, parameters, id, context), CancellationToken.None);
        }
    }

    /// <summary>What the lifecycle forbids at this point, as the error a request would get.</summary>
    private (int Code, string Message)? Refusal(string method) => _lifecycle switch
    {
        Lifecycle.WaitingForInitialize when method != Methods.Initialize =>
            (ErrorCodes.ServerNotInitialized, $"The server is not initialized: '{method}' came before 'initialize'"),
        Lifecycle.Running when method == Methods.Initialize =>
            (ErrorCodes.InvalidRequest, "'initialize' was already received"),
        Lifecycle.ShutDown =>
            (ErrorCodes.InvalidRequest, $"The server is shutting down: '{method}' is refused; send 'exit'"),
        _ => null,
    };

    private void AdvanceLifecycle(string method)
    {
        if (method == Methods.Initialize)
        {
            _lifecycle = Lifecycle.Running;
        }
        else if (method == Methods.Shutdown)
        {
            _lifecycle = Lifecycle.ShutDown;
        }
    }

    /// <summary>Runs one handler and answers a request. Never throws: a throw here would stop the queue.</summary>
    private async Task<bool> ExecuteAsync(HandlerTable<TContext>.MethodHandler handler, JsonElement parameters, RequestId? id, TContext context)
    {
        var cancellation = id is { } requestId && _inFlight.TryGetValue(requestId, out var source) ? source.Token : _stopping.Token;
        try
        {
            cancellation.ThrowIfCancellationRequested();
            var result = await handler.InvokeAsync(parameters, context, cancellation).ConfigureAwait(false);
            if (id is { } answered)
            {
                await connection.Writer.WriteResultAsync(answered, result).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await ReplyErrorAsync(id, ErrorCodes.RequestCancelled, $"'{handler.Method}' was cancelled").ConfigureAwait(false);
        }
        catch (LspException exception)
        {
            log($"'{handler.Method}' failed: {exception.Message}");
            await ReplyErrorAsync(id, exception.Code, exception.Message).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            log($"'{handler.Method}' failed with an internal error: {exception}");
            await ReplyErrorAsync(id, ErrorCodes.InternalError, $"Internal error in '{handler.Method}': {exception.Message}").ConfigureAwait(false);
        }
        finally
        {
            if (id is { } finished)
            {
                Forget(finished);
            }
        }
        return false;
    }

    private async Task ReplyErrorAsync(RequestId? id, int code, string message)
    {
        if (id is null)
        {
            return;
        }
        try
        {
            await connection.Writer.WriteErrorAsync(id, code, message).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            log($"Could not answer request {id}: {exception.Message}");
        }
    }

    private void Cancel(JsonElement parameters)
    {
        if (parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("id", out var idElement)
            && RequestId.TryParse(idElement, out var id)
            && _inFlight.TryGetValue(id, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The request finished between the lookup and the cancel: nothing left to stop.
            }
        }
    }

    private void Forget(RequestId id)
    {
        if (_inFlight.TryRemove(id, out var source))
        {
            source.Dispose();
        }
    }
}

/// <summary>The protocol methods this layer itself acts on.</summary>
public static class Methods
{
    public const string Initialize = "initialize";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string CancelRequest = "$/cancelRequest";
    public const string Progress = "$/progress";
}
