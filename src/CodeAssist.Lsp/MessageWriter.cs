using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CodeAssist.Lsp;

/// <summary>
/// Writes JSON-RPC messages as base-protocol frames. Writers on any thread share one stream, so each frame
/// is written whole under a lock; nothing else may write to the stream.
/// </summary>
public sealed class MessageWriter(Stream output)
{
    /// <summary>
    /// JSON as editors write it: only quotes, backslashes and control characters escaped. The default encoder, made for
    /// HTML, writes every quote, angle bracket and non-ASCII letter of the code messages carry as six bytes.
    /// </summary>
    internal static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task WriteResultAsync(RequestId id, byte[]? result) =>
        WriteAsync(writer =>
        {
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WritePropertyName("result");
            if (result is { } json)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }
        });

    /// <summary>An error reply; a null id is for messages whose id could not be read (parse errors).</summary>
    public Task WriteErrorAsync(RequestId? id, int code, string message) =>
        WriteAsync(writer =>
        {
            writer.WritePropertyName("id");
            if (id is { } value)
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });

    public Task WriteNotificationAsync<T>(string method, T parameters, JsonTypeInfo<T> type) =>
        WriteNotificationAsync(method, writer => JsonSerializer.Serialize(writer, parameters, type));

    public Task WriteNotificationAsync(string method, Action<Utf8JsonWriter> writeParams) =>
        WriteAsync(writer =>
        {
            writer.WriteString("method", method);
            writer.WritePropertyName("params");
            writeParams(writer);
        });

    public Task WriteRequestAsync<T>(RequestId id, string method, T parameters, JsonTypeInfo<T> type) =>
        WriteAsync(writer =>
        {
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteString("method", method);
            writer.WritePropertyName("params");
            JsonSerializer.Serialize(writer, parameters, type);
        });

    private async Task WriteAsync(Action<Utf8JsonWriter> writeMembers)
    {
        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body, Json))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writeMembers(writer);
            writer.WriteEndObject();
        }
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.WrittenCount}\r\n\r\n");

        // Once started, a frame must be finished or the stream is corrupt: no cancellation here.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(header, CancellationToken.None).ConfigureAwait(false);
            await output.WriteAsync(body.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
