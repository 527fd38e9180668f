using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CodeAssist.Lsp;

/// <summary>
/// Reports long work through <c>$/progress</c> (begin, report, end) under a token: one the client sent
/// in a request's <c>workDoneToken</c>, or one the server created with <c>window/workDoneProgress/create</c>.
/// Reports never throw: progress is advisory and must not fail the work it describes.
/// </summary>
public sealed class WorkDoneProgress(JsonRpcConnection connection, ProgressToken token, Action<string> log)
{
    private int _ended;

    public ProgressToken Token => token;

    /// <summary>Asks the client for a progress token; null when it refuses (it may lack the capability).</summary>
    public static async Task<WorkDoneProgress?> CreateAsync(JsonRpcConnection connection, string tokenText, Action<string> log, CancellationToken cancellationToken)
    {
        var token = new ProgressToken(new RequestId(tokenText));
        try
        {
            await connection.SendRequestAsync("window/workDoneProgress/create", new CreateProgressParams(token), LspJsonContext.Default.CreateProgressParams, cancellationToken).ConfigureAwait(false);
            return new WorkDoneProgress(connection, token, log);
        }
        catch (Exception exception) when (exception is LspException or IOException)
        {
            log($"No progress reports: the client refused a token ({exception.Message})");
            return null;
        }
    }

    public Task BeginAsync(string title, string? message = null, int? percentage = null, bool cancellable = false) =>
        SendAsync(writer =>
        {
            writer.WriteString("kind", "begin");
            writer.WriteString("title", title);
            writer.WriteBoolean("cancellable", cancellable);
            WriteOptional(writer, message, percentage);
        });

    public Task ReportAsync(string? message = null, int? percentage = null) =>
        Volatile.Read(ref _ended) != 0 ? Task.CompletedTask : SendAsync(writer =>
        {
            writer.WriteString("kind", "report");
            WriteOptional(writer, message, percentage);
        });

    public Task EndAsync(string? message = null) =>
        Interlocked.Exchange(ref _ended, 1) != 0 ? Task.CompletedTask : SendAsync(writer =>
        {
            writer.WriteString("kind", "end");
            WriteOptional(writer, message, null);
        });

    /// <summary>Sends one piece of a result under a request's <c>partialResultToken</c>.</summary>
    public static Task SendPartialResultAsync<T>(JsonRpcConnection connection, ProgressToken token, T value, JsonTypeInfo<T> type) =>
        connection.Writer.WriteNotificationAsync(Methods.Progress, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("token");
            token.Value.WriteTo(writer);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, value, type);
            writer.WriteEndObject();
        });

    private async Task SendAsync(Action<Utf8JsonWriter> writeValue)
    {
        try
        {
            await connection.Writer.WriteNotificationAsync(Methods.Progress, writer =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName("token");
                token.Value.WriteTo(writer);
                writer.WriteStartObject("value");
                writeValue(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            log($"Progress report lost: {exception.Message}");
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string? message, int? percentage)
    {
        if (message is not null)
        {
            writer.WriteString("message", message);
        }
        if (percentage is { } value)
        {
            writer.WriteNumber("percentage", Math.Clamp(value, 0, 100));
        }
    }
}
