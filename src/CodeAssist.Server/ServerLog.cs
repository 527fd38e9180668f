using CodeAssist.Lsp;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server;

/// <summary>
/// The server's log: every line goes to stderr, and lines at or above the configured level also go to
/// the client as <c>window/logMessage</c> once a connection is attached. stdout carries protocol only.
/// Logging never throws.
/// </summary>
public sealed class ServerLog(TextWriter stderr)
{
    private JsonRpcConnection? _connection;
    private volatile ServerSettings _settings = ServerSettings.Default;

    public void Attach(JsonRpcConnection connection) => _connection = connection;

    public void Configure(ServerSettings settings) => _settings = settings;

    public void Error(string message) => Write(MessageType.Error, message);
    public void Warning(string message) => Write(MessageType.Warning, message);
    public void Info(string message) => Write(MessageType.Info, message);
    public void Debug(string message) => Write(MessageType.Debug, message);

    private void Write(MessageType type, string message)
    {
        if (type > _settings.LogLevel)
        {
            return;
        }
        try
        {
            stderr.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff} {ServerSettings.LevelName(type)}] {message}");
        }
        catch (IOException)
        {
            // stderr closed: the client still gets the line below.
        }
        if (_connection is { } connection)
        {
            _ = SendAsync(connection, new LogMessageParams(type, message));
        }
    }

    private static async Task SendAsync(JsonRpcConnection connection, LogMessageParams message)
    {
        try
        {
            await connection.SendNotificationAsync("window/logMessage", message, ProtocolJson.Default.LogMessageParams).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client is gone; stderr has the line.
        }
    }
}
