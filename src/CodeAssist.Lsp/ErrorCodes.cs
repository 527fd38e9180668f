namespace CodeAssist.Lsp;

/// <summary>The error codes of JSON-RPC 2.0 and the LSP specification that this layer answers with.</summary>
public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int UnknownErrorCode = -32001;
    public const int RequestFailed = -32803;
    public const int ServerCancelled = -32802;
    public const int ContentModified = -32801;
    public const int RequestCancelled = -32800;
}

/// <summary>
/// An error a handler means to send to the client as it is: its code and message reach the reply.
/// Anything else a handler throws is a bug and is answered <see cref="ErrorCodes.InternalError"/>.
/// </summary>
public class LspException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
