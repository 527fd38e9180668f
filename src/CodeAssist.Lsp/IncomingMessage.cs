using System.Text.Json;

namespace CodeAssist.Lsp;

/// <summary>A message from the peer, classified by the JSON-RPC rules; params are detached from the parsed body.</summary>
public abstract record IncomingMessage
{
    /// <summary>
    /// Classifies a frame's body. Returns null and an error (code, message, and the id when one could be
    /// read) when the body is not a JSON-RPC message.
    /// </summary>
    public static IncomingMessage? Parse(byte[] body, out (int Code, string Message, RequestId? Id) error)
    {
        error = default;
        // The JSON reader accepts invalid UTF-8 inside strings and throws only when a string is read.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = (ErrorCodes.ParseError, "Parse error: the body is not valid UTF-8", null);
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            error = (ErrorCodes.ParseError, $"Parse error: {exception.Message}", null);
            return null;
        }
        using (document)
        {
            try
            {
                return Classify(document.RootElement, out error);
            }
            catch (InvalidOperationException exception)
            {
                // A lone surrogate escape ("\uD800") in 'id', 'jsonrpc' or 'method' cannot become a .NET string.
                error = (ErrorCodes.ParseError, $"Parse error: {exception.Message}", null);
                return null;
            }
        }
    }

    private static IncomingMessage? Classify(JsonElement root, out (int Code, string Message, RequestId? Id) error)
    {
        error = default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = (ErrorCodes.InvalidRequest, $"Invalid request: a message must be a JSON object, not {Describe(root.ValueKind)}", null);
            return null;
        }

        RequestId? id = null;
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (!RequestId.TryParse(idElement, out var parsed))
            {
                error = (ErrorCodes.InvalidRequest, "Invalid request: 'id' must be a number or a string", null);
                return null;
            }
            id = parsed;
        }
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            error = (ErrorCodes.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\"", id);
            return null;
        }

        if (root.TryGetProperty("method", out var methodElement))
        {
            if (methodElement.ValueKind != JsonValueKind.String)
            {
                error = (ErrorCodes.InvalidRequest, "Invalid request: 'method' must be a string", id);
                return null;
            }
            var method = methodElement.GetString()!;
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            return id is { } requestId ? new RequestMessage(requestId, method, parameters) : new NotificationMessage(method, parameters);
        }

        // A response's id is null when the peer could not read the request's id: never answer it back.
        if (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _))
        {
            var result = root.TryGetProperty("result", out var r) ? r.Clone() : default;
            var failure = root.TryGetProperty("error", out var e) ? e.Clone() : default;
            return new ResponseMessage(id, result, failure);
        }

        error = (ErrorCodes.InvalidRequest, "Invalid request: neither a request, a notification nor a response", id);
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array (batches are not part of LSP)",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

public sealed record RequestMessage(RequestId Id, string Method, JsonElement Params) : IncomingMessage;

public sealed record NotificationMessage(string Method, JsonElement Params) : IncomingMessage;

/// <summary>
/// The peer's answer to one of our requests: <see cref="Error"/> is undefined unless it failed, and
/// <see cref="Id"/> is null for an error about a message the peer could not read.
/// </summary>
public sealed record ResponseMessage(RequestId? Id, JsonElement Result, JsonElement Error) : IncomingMessage;
