using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CodeAssist.Lsp;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Cli;

/// <summary>
/// This build's <c>codeassist serve --stdio</c> started as a child process and driven as an editor drives
/// it, so benchmarks measure what users get: framing, queueing and JSON included.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly JsonElement s_emptyObject = JsonDocument.Parse("{}").RootElement;
    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement;

    private readonly Process _process;
    private readonly JsonRpcConnection _connection;
    private readonly Task _reading;
    private readonly CancellationTokenSource _stop = new();

    private ServerProcess(Process process)
    {
        _process = process;
        _connection = new JsonRpcConnection(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, _ => { });
        // The server's own requests (progress tokens, registrations) get no answer from us: it copes.
        _reading = Task.Run(() => _connection.ReadAsync(_ => { }, _stop.Token));
    }

    /// <summary>Starts the server on <paramref name="folder"/> and completes its initialize handshake.</summary>
    /// <param name="settings">The <c>initializationOptions</c>.</param>
    public static Task<ServerProcess> StartAsync(string folder, TextWriter log, JsonElement settings, CancellationToken cancellationToken) =>
        StartAsync([folder], log, settings, cancellationToken);

    /// <summary>Starts the server on several workspace folders at once, as an editor with a multi-root workspace does.</summary>
    /// <param name="serverLog">Where every line the server logs goes (the settings choose the level); else only its errors go to <paramref name="log"/>.</param>
    public static async Task<ServerProcess> StartAsync(IReadOnlyList<string> folders, TextWriter log, JsonElement settings, CancellationToken cancellationToken, TextWriter? serverLog = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--stdio");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            if (serverLog is not null)
            {
                try
                {
                    serverLog.WriteLine(e.Data);
                }
                catch (ObjectDisposedException)
                {
                    // The last lines of a server being stopped after its log was closed.
                }
            }
            else if (e.Data.Contains(" error]", StringComparison.Ordinal))
            {
                log.WriteLine($"server: {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        var server = new ServerProcess(process);
        await server.RequestAsync("initialize",
            new InitializeParams(ProcessId: Environment.ProcessId, ClientInfo: new ClientInfo("codeassist bench"),
                WorkspaceFolders: folders.Select(folder => new WorkspaceFolder(DocumentUri.FromPath(folder), Path.GetFileName(folder))).ToArray(), InitializationOptions: settings),
            ProtocolJson.Default.InitializeParams, cancellationToken);
        await server.NotifyAsync("initialized", s_emptyObject, ProtocolJson.Default.JsonElement);
        return server;
    }

    public Task<JsonElement> RequestAsync<T>(string method, T parameters, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _connection.SendRequestAsync(method, parameters, type, cancellationToken);

    public Task NotifyAsync<T>(string method, T parameters, JsonTypeInfo<T> type) =>
        _connection.SendNotificationAsync(method, parameters, type);

    public Task OpenAsync(string uri, string text) =>
        NotifyAsync("textDocument/didOpen", new DidOpenTextDocumentParams(new TextDocumentItem(uri, "csharp", 1, text)), ProtocolJson.Default.DidOpenTextDocumentParams);

    public Task CloseAsync(string uri) =>
        NotifyAsync("textDocument/didClose", new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)), ProtocolJson.Default.DidCloseTextDocumentParams);

    public async Task<ContextResponse> ContextAsync(string uri, Position position, int budgetTokens, CancellationToken cancellationToken) =>
        (await RequestAsync(Handlers.ContextHandler.Method, new ContextParams(new TextDocumentIdentifier(uri), position, budgetTokens), ProtocolJson.Default.ContextParams, cancellationToken))
            .Deserialize(ProtocolJson.Default.ContextResponse)!;

    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken) =>
        (await RequestAsync("codeassist/status", s_emptyObject, ProtocolJson.Default.JsonElement, cancellationToken)).Deserialize(ProtocolJson.Default.StatusResult)!;

    /// <summary>Peak resident memory of the server so far, from /proc where there is one.</summary>
    public long PeakMemoryBytes
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.PeakWorkingSet64;
            }
            catch (InvalidOperationException)
            {
                return 0;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await RequestAsync("shutdown", s_null, ProtocolJson.Default.JsonElement, timeout.Token);
            await NotifyAsync("exit", s_null, ProtocolJson.Default.JsonElement);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or LspException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _stop.CancelAsync();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
        _stop.Dispose();
    }
}
