using CodeAssist.Models;
using CodeAssist.Models.Native;

namespace CodeAssist.Server;

/// <summary>
/// The code model the settings name, loaded in the background so the server answers while gigabytes load.
/// A file that cannot be loaded leaves the server running without a model, with llama.cpp's reason in the
/// log and in <c>codeassist/status</c>. Once loaded, the context engine counts tokens with its tokenizer.
/// </summary>
public sealed class ModelHost(WorkspaceIndex index, ServerLog log) : IAsyncDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource? _loading;
    private volatile ModelState _state = ModelState.None;
    private LlamaCodeModel? _model;

    public ModelState State => _state;

    private static readonly Lazy<string> s_backend = new(LlamaLibrary.DescribeBackend);

    /// <summary>
    /// The llama.cpp backend this machine runs on: "cuda" with a GPU and its runtime, "cpu" otherwise. Found once:
    /// clients poll the status, and a failed search for the libraries would otherwise repeat on every poll.
    /// </summary>
    public static string Backend => s_backend.Value;

    /// <summary>Loads <paramref name="path"/> unless it is already the model; null unloads.</summary>
    public void Use(string? path)
    {
        lock (_gate)
        {
            // The same file again is a no-op, unless it failed: the user may have fixed or replaced it.
            if (path == _state.Path && _state.Status != "failed")
            {
                return;
            }
            _loading?.Cancel();
            _state = path is null ? ModelState.None : new ModelState("loading", path, null, null);
            var loading = _loading = new CancellationTokenSource();
            _ = Task.Run(() => LoadAsync(path, loading.Token), CancellationToken.None);
        }
    }

    private async Task LoadAsync(string? path, CancellationToken cancellationToken)
    {
        LlamaCodeModel? loaded = null;
        ModelState state;
        try
        {
            if (path is not null)
            {
                loaded = LlamaCodeModel.Open(path, cancellationToken: cancellationToken);
            }
            state = loaded is null ? ModelState.None : new ModelState("ready", path, loaded.Description, null);
            if (loaded is not null)
            {
                log.Info($"Loaded {loaded.Description.Name} on {loaded.Description.Backend} ({loaded.Description.ContextSize} tokens of context)");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (ModelException exception)
        {
            log.Error($"Could not load the model {path}: {exception.Message}");
            state = new ModelState("failed", path, null, exception.Message);
        }

        LlamaCodeModel? previous;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                previous = loaded;
            }
            else
            {
                previous = _model;
                _model = loaded;
                _state = state;
                var vocabulary = loaded?.Model;
                index.CountTokens = vocabulary is null ? null : text => vocabulary.Tokenize(text).Length;
            }
        }
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        LlamaCodeModel? model;
        lock (_gate)
        {
            _loading?.Cancel();
            model = _model;
            _model = null;
        }
        if (model is not null)
        {
            await model.DisposeAsync();
        }
    }
}

/// <summary><see cref="Status"/>: "none", "loading", "ready" or "failed" (with <see cref="Error"/>).</summary>
public sealed record ModelState(string Status, string? Path, ModelDescription? Description, string? Error)
{
    public static readonly ModelState None = new("none", null, null, null);
}
