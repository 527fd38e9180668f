using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CodeAssist.Lsp;

/// <summary>
/// The methods a server answers, each registered once, explicitly, with whether it mutates server state.
/// Mutating handlers run one at a time in arrival order; the others run concurrently (see <see cref="RequestQueue{TContext}"/>).
/// Params are deserialized and results serialized here, with source-generated type information, so handlers
/// see typed values only.
/// </summary>
public sealed class HandlerTable<TContext>
{
    private readonly Dictionary<string, MethodHandler> _handlers = new(StringComparer.Ordinal);

    internal sealed record MethodHandler(
        string Method,
        bool Mutates,
        bool IsRequest,
        Func<JsonElement, TContext, CancellationToken, Task<byte[]?>> InvokeAsync);

    public IEnumerable<string> Methods => _handlers.Keys;

    public HandlerTable<TContext> Request<TParams, TResult>(
        string method, bool mutates, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType,
        Func<TParams, TContext, CancellationToken, Task<TResult>> handleAsync) =>
        Add(new MethodHandler(method, mutates, IsRequest: true, async (parameters, context, cancellationToken) =>
        {
            var result = await handleAsync(Deserialize(method, parameters, paramsType), context, cancellationToken).ConfigureAwait(false);
            return Serialize(result, resultType);
        }));

    /// <summary>A request whose params, if any, carry nothing (such as <c>shutdown</c>) and whose result is null.</summary>
    public HandlerTable<TContext> Request(string method, bool mutates, Func<TContext, CancellationToken, Task> handleAsync) =>
        Add(new MethodHandler(method, mutates, IsRequest: true, async (_, context, cancellationToken) =>
        {
            await handleAsync(context, cancellationToken).ConfigureAwait(false);
            return null;
        }));

    public HandlerTable<TContext> Notification<TParams>(
        string method, bool mutates, JsonTypeInfo<TParams> paramsType,
        Func<TParams, TContext, CancellationToken, Task> handleAsync) =>
        Add(new MethodHandler(method, mutates, IsRequest: false, async (parameters, context, cancellationToken) =>
        {
            await handleAsync(Deserialize(method, parameters, paramsType), context, cancellationToken).ConfigureAwait(false);
            return null;
        }));

    private static byte[] Serialize<TResult>(TResult result, JsonTypeInfo<TResult> resultType)
    {
        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body, MessageWriter.Json))
        {
            JsonSerializer.Serialize(writer, result, resultType);
        }
        return body.WrittenSpan.ToArray();
    }

    internal MethodHandler? Find(string method) => _handlers.GetValueOrDefault(method);

    private HandlerTable<TContext> Add(MethodHandler handler)
    {
        if (!_handlers.TryAdd(handler.Method, handler))
        {
            throw new InvalidOperationException($"'{handler.Method}' is registered twice");
        }
        return this;
    }

    private static readonly JsonElement s_noParams = JsonDocument.Parse("{}").RootElement;

    /// <summary>
    /// Absent params read as <c>{}</c>, so a method whose params are all optional accepts none, and one
    /// with required params fails with InvalidParams naming what is missing.
    /// </summary>
    private static TParams Deserialize<TParams>(string method, JsonElement parameters, JsonTypeInfo<TParams> type)
    {
        if (parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            parameters = s_noParams;
        }
        try
        {
            return parameters.Deserialize(type) ?? throw new LspException(ErrorCodes.InvalidParams, $"'{method}' needs params");
        }
        catch (JsonException exception)
        {
            throw new LspException(ErrorCodes.InvalidParams, $"Invalid params for '{method}': {exception.Message}");
        }
    }
}
