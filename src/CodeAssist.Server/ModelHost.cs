using CodeAssist.Models;
using CodeAssist.Models.Native;

namespace CodeAssist.Server;

/// <summary>
/// The code model the settings name — a local GGUF, or a remote endpoint when <c>remote</c> is set — loaded in the
/// background so the server answers while gigabytes load. A model that cannot be loaded leaves the server running
/// without one, with the reason in the log and in <c>codeassist/status</c>; features answer empty or with that reason.
/// Once a local model is loaded, the context engine counts tokens with its tokenizer.
/// </summary>
public sealed class ModelHost(WorkspaceIndex index, ServerLog log) : IAsyncDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource? _loading;
    private volatile ModelState _state = ModelState.None;
    private volatile ICodeModel? _model;
    private ModelChoice? _choice;

    public ModelState State => _state;

    /// <summary>The model requests use now; null while none is configured, loading or after a failure (see <see cref="State"/>).</summary>
    public ICodeModel? Current => _model;

    private static readonly Lazy<string> s_backend = new(LlamaLibrary.DescribeBackend);

    /// <summary>
    /// The llama.cpp backend this machine runs on: "cuda" with a GPU and its runtime, "cpu" otherwise. Found once:
    /// clients poll the status, and a failed search for the libraries would otherwise repeat on every poll.
    /// </summary>
    public static string Backend => s_backend.Value;

    /// <summary>Switches to the model <paramref name="settings"/> name unless it is already the one in use.</summary>
    public void Use(ServerSettings settings)
    {
        var choice = ModelChoice.From(settings);
        lock (_gate)
        {
            // The same choice again is a no-op, unless it failed: the user may have fixed or replaced the file.
            if (choice == _choice && _state.Status != "failed")
            {
                return;
            }
            _choice = choice;
            _loading?.Cancel();
            _state = choice is null ? ModelState.None : new ModelState("loading", choice.Location, null, null);
            var loading = _loading = new CancellationTokenSource();
            _ = Task.Run(() => LoadAsync(choice, loading.Token), CancellationToken.None);
        }
    }

    /// <summary>
    /// Opens what <paramref name="settings"/> name: the remote endpoint when set, else the local GGUF; null when neither is.
    /// The command line uses this too, so it finds and opens models exactly as the server does.
    /// </summary>
    /// <exception cref="ModelException">The file is missing, not a GGUF, or llama.cpp refuses it (with llama.cpp's reason).</exception>
    public static ICodeModel? Open(ServerSettings settings, CancellationToken cancellationToken) => ModelChoice.From(settings) switch
    {
        null => null,
        { Remote: { } remote } => new RemoteCodeModel(new RemoteModelOptions
        {
            BaseUrl = remote.Url,
            Api = remote.Api,
            Model = remote.Model,
            ApiKeyEnvironmentVariable = remote.ApiKeyVariable,
            FimFamily = remote.FimFamily,
            ContextSize = remote.ContextSize,
        }),
        { Path: { } path, Options: var options } => LlamaCodeModel.Open(path, new LlamaCodeModelOptions
        {
            Context = new LlamaContextOptions { ContextSize = options.ContextSize ?? 0, Threads = options.Threads, LowPriority = true },
            Load = new ModelLoadOptions { GpuLayers = options.GpuLayers },
        }, cancellationToken),
        _ => null,
    };

    /// <summary>
    /// How chat prompts are formatted for a model: its own template (from the GGUF), ChatML when the GGUF has none (random-weight
    /// test models, some base models), or the remote server's own.
    /// </summary>
    public static string? ChatTemplateOf(ICodeModel? model) => model switch
    {
        LlamaCodeModel { Model.ChatTemplate: null } => "chatml (built in: the model has no chat template)",
        LlamaCodeModel => "the model's own",
        RemoteCodeModel => "the server's own",
        _ => null,
    };

    private async Task LoadAsync(ModelChoice? choice, CancellationToken cancellationToken)
    {
        ICodeModel? loaded = null;
        ModelState state;
        try
        {
            loaded = choice is null ? null : Open(choice.Settings, cancellationToken);
            state = loaded is null ? ModelState.None : new ModelState("ready", choice!.Location, loaded.Description, null);
            if (loaded is not null)
            {
                log.Info($"Using {loaded.Description.Name} on {loaded.Description.Backend} ({loaded.Description.ContextSize} tokens of context); chat template: {ChatTemplateOf(loaded)}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (ModelException exception)
        {
            log.Error($"Could not load the model {choice!.Location}: {exception.Message}");
            state = new ModelState("failed", choice.Location, null, exception.Message);
        }

        ICodeModel? previous;
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
                var vocabulary = (loaded as LlamaCodeModel)?.Model;
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
        ICodeModel? model;
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

    /// <summary>What identifies a model to load: equal choices need no reload.</summary>
    private sealed record ModelChoice(string? Path, RemoteSettings? Remote, ModelOptionsSettings Options, ServerSettings Settings)
    {
        public string Location => Remote?.Url.ToString() ?? Path!;

        public static ModelChoice? From(ServerSettings settings) =>
            settings.Remote is { } remote ? new ModelChoice(null, remote, ModelOptionsSettings.Default, settings)
            : settings.Model is { } path ? new ModelChoice(path, null, settings.ModelOptions, settings)
            : null;

        public bool Equals(ModelChoice? other) => other is not null && Path == other.Path && Remote == other.Remote && Options == other.Options;

        public override int GetHashCode() => HashCode.Combine(Path, Remote, Options);
    }
}

/// <summary><see cref="Status"/>: "none", "loading", "ready" or "failed" (with <see cref="Error"/>).</summary>
public sealed record ModelState(string Status, string? Path, ModelDescription? Description, string? Error)
{
    public static readonly ModelState None = new("none", null, null, null);

    /// <summary>Why features cannot use a model now, worded for the user; null when one is ready.</summary>
    public string? Unavailable => Status switch
    {
        "ready" => null,
        "none" => "No model is configured: set the 'model' setting to a GGUF file (or 'remote' to a model server), or set CODEASSIST_MODEL.",
        "loading" => $"The model {Path} is still loading.",
        _ => $"The model {Path} could not be loaded: {Error}",
    };
}
