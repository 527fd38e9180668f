using System.Text.Json;
using CodeAssist.Models;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server;

/// <summary>
/// The user's settings, read from <c>initializationOptions</c> and <c>workspace/didChangeConfiguration</c> over the
/// defaults of <see cref="UserDefaults"/>. Either may hold the settings themselves or wrap them in a <c>codeassist</c>
/// section (as VS Code sends them); unknown keys are ignored and a value of the wrong type keeps its default, with a warning.
/// </summary>
public sealed record ServerSettings
{
    public static readonly ServerSettings Default = new();

    public MessageType LogLevel { get; init; } = MessageType.Info;

    /// <summary>Globs, relative to a workspace folder, of files never read into a prompt.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The GGUF file of the local code model (<c>~</c> expanded); null runs without one.</summary>
    public string? Model { get; init; }

    /// <summary>Where the repository index persists between starts (<c>~</c> expanded); null keeps it in memory only.</summary>
    public string? IndexCache { get; init; } = Path.Combine(Home, ".cache", "codeassist", "index");

    /// <summary>A shared model server; when set it is used instead of <see cref="Model"/>.</summary>
    public RemoteSettings? Remote { get; init; }

    /// <summary>How the local model is loaded.</summary>
    public ModelOptionsSettings ModelOptions { get; init; } = ModelOptionsSettings.Default;

    public CompletionSettings Completion { get; init; } = CompletionSettings.Default;

    public ActionSettings Actions { get; init; } = ActionSettings.Default;

    /// <summary>Prompt templates that override the built-in and workspace ones: task (or task.family) → template text.</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// What the server starts from before the client's settings, and what the command line uses: the user's settings
    /// file (<c>$XDG_CONFIG_HOME/codeassist/settings.json</c>, else <c>~/.config/codeassist/settings.json</c>), then the
    /// <c>CODEASSIST_MODEL</c> environment variable for the model. A settings file that cannot be read is reported and
    /// ignored.
    /// </summary>
    public static ServerSettings UserDefaults(Action<string> warn)
    {
        var settings = Default;
        var file = UserSettingsFile;
        if (File.Exists(file))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                settings = Parse(document.RootElement, settings, message => warn($"{file}: {message}"));
            }
            catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
            {
                warn($"The settings file {file} is not used: {exception.Message}");
            }
        }
        if (Environment.GetEnvironmentVariable("CODEASSIST_MODEL") is { Length: > 0 } model)
        {
            settings = settings with { Model = ExpandHome(model), Remote = null };
        }
        return settings;
    }

    public static string UserSettingsFile => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Home, ".config"),
        "codeassist", "settings.json");

    public static ServerSettings Parse(JsonElement element, ServerSettings current, Action<string> warn)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("codeassist", out var section))
        {
            element = section;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return current;
        }

        var settings = current;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "logLevel" when property.Value.ValueKind == JsonValueKind.String
                                     && ParseLevel(property.Value.GetString()!) is { } level:
                    settings = settings with { LogLevel = level };
                    break;
                case "exclude" when property.Value.ValueKind == JsonValueKind.Array
                                    && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    settings = settings with { Exclude = property.Value.EnumerateArray().Select(e => e.GetString()!).ToArray() };
                    break;
                case "model" when property.Value.ValueKind == JsonValueKind.String:
                    settings = settings with { Model = ExpandHome(property.Value.GetString()!) };
                    break;
                case "model" when property.Value.ValueKind == JsonValueKind.Null:
                    settings = settings with { Model = null };
                    break;
                case "indexCache" when property.Value.ValueKind == JsonValueKind.String:
                    settings = settings with { IndexCache = ExpandHome(property.Value.GetString()!) };
                    break;
                case "indexCache" when property.Value.ValueKind == JsonValueKind.Null:
                    settings = settings with { IndexCache = null };
                    break;
                case "remote" when property.Value.ValueKind == JsonValueKind.Null:
                    settings = settings with { Remote = null };
                    break;
                case "remote" when property.Value.ValueKind == JsonValueKind.Object:
                    settings = settings with { Remote = RemoteSettings.Parse(property.Value, warn) ?? settings.Remote };
                    break;
                case "modelOptions" when property.Value.ValueKind == JsonValueKind.Object:
                    settings = settings with { ModelOptions = ModelOptionsSettings.Parse(property.Value, settings.ModelOptions, warn) };
                    break;
                case "completion" when property.Value.ValueKind == JsonValueKind.Object:
                    settings = settings with { Completion = CompletionSettings.Parse(property.Value, settings.Completion, warn) };
                    break;
                case "actions" when property.Value.ValueKind == JsonValueKind.Object:
                    settings = settings with { Actions = ActionSettings.Parse(property.Value, settings.Actions, warn) };
                    break;
                case "prompts" when property.Value.ValueKind == JsonValueKind.Object
                                    && property.Value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String):
                    settings = settings with { Prompts = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase) };
                    break;
                case "logLevel" or "exclude" or "model" or "indexCache" or "remote" or "modelOptions" or "completion" or "prompts" or "actions":
                    warn($"Setting '{property.Name}' has an invalid value ({property.Value.GetRawText()}); keeping the previous one");
                    break;
            }
        }
        return settings;
    }

    internal static string? ExpandHome(string path) =>
        path.Length == 0 ? null
        : path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, path.TrimStart('~').TrimStart('/'))
        : Path.GetFullPath(path);

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public static string LevelName(MessageType level) => level.ToString().ToLowerInvariant();

    private static MessageType? ParseLevel(string name) => name.ToLowerInvariant() switch
    {
        "error" => MessageType.Error,
        "warning" => MessageType.Warning,
        "info" => MessageType.Info,
        "log" => MessageType.Log,
        "debug" => MessageType.Debug,
        _ => null,
    };
}

/// <summary>
/// The <c>remote</c> setting: an OpenAI-compatible or llama-server endpoint. The API key is named, not given: it is read
/// from that environment variable at each request and never stored or logged.
/// </summary>
public sealed record RemoteSettings(Uri Url, RemoteApi Api, string? Model, string? ApiKeyVariable, FimFamily? FimFamily, int ContextSize)
{
    /// <summary>The window assumed for a remote model, which does not tell us its own.</summary>
    public const int DefaultContextSize = 8192;

    /// <summary>The endpoint an object describes; null, with a warning, when it has no usable URL.</summary>
    public static RemoteSettings? Parse(JsonElement element, Action<string> warn)
    {
        string? Text(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (Text("url") is not { } url || !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            warn("Setting 'remote' needs a 'url' such as \"http://127.0.0.1:8080/\"; keeping the previous one");
            return null;
        }
        var api = Text("api")?.ToLowerInvariant() switch
        {
            null or "openai" => RemoteApi.OpenAi,
            "llamaserver" or "llama-server" or "llama.cpp" => RemoteApi.LlamaServer,
            var other => Warn(other),
        };
        RemoteApi Warn(string other)
        {
            warn($"Setting 'remote.api' is '{other}'; expected 'openai' or 'llamaServer': using 'openai'");
            return RemoteApi.OpenAi;
        }
        var family = Text("fimFamily") is { } name ? Models.FimTemplate.ParseFamily(name) : null;
        var contextSize = element.TryGetProperty("contextSize", out var size) && size.TryGetInt32(out var tokens) && tokens > 0 ? tokens : DefaultContextSize;
        return new RemoteSettings(uri, api, Text("model"), Text("apiKeyVariable"), family, contextSize);
    }
}

/// <summary>The <c>modelOptions</c> setting. Zero threads = physical cores; null GPU layers = all of them when a GPU is present.</summary>
public sealed record ModelOptionsSettings(int? ContextSize, int Threads, int? GpuLayers)
{
    public static readonly ModelOptionsSettings Default = new(null, 0, null);

    public static ModelOptionsSettings Parse(JsonElement element, ModelOptionsSettings current, Action<string> warn)
    {
        var result = current;
        foreach (var property in element.EnumerateObject())
        {
            int? number = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var n) && n >= 0 ? n : null;
            switch (property.Name)
            {
                case "contextSize" when number > 0 || property.Value.ValueKind == JsonValueKind.Null:
                    result = result with { ContextSize = number };
                    break;
                case "threads" when number is not null:
                    result = result with { Threads = number.Value };
                    break;
                case "gpuLayers" when number is not null || property.Value.ValueKind == JsonValueKind.Null:
                    result = result with { GpuLayers = number };
                    break;
                case "contextSize" or "threads" or "gpuLayers":
                    warn($"Setting 'modelOptions.{property.Name}' has an invalid value ({property.Value.GetRawText()}); keeping the previous one");
                    break;
            }
        }
        return result;
    }
}

/// <summary>
/// The <c>completion</c> setting. <see cref="Languages"/> empty = every language; <see cref="DebounceMs"/> null = adaptive to
/// the typing rate; <see cref="ContextTokens"/> is the cross-file context budget of a completion prompt.
/// </summary>
public sealed record CompletionSettings(bool Enabled, IReadOnlyList<string> Languages, int? DebounceMs, int MaxTokens, int ContextTokens)
{
    public static readonly CompletionSettings Default = new(true, [], null, 64, 1024);

    public Features.Completion.CompletionOptions ToOptions() => new()
    {
        Enabled = Enabled,
        Languages = Languages,
        DebounceMs = DebounceMs,
        MaxTokens = MaxTokens,
        ContextTokens = ContextTokens,
    };

    public static CompletionSettings Parse(JsonElement element, CompletionSettings current, Action<string> warn)
    {
        var result = current;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            int? number = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0 ? n : null;
            switch (property.Name)
            {
                case "enabled" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { Enabled = value.GetBoolean() };
                    break;
                case "languages" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    result = result with { Languages = value.EnumerateArray().Select(e => e.GetString()!).ToArray() };
                    break;
                case "debounceMs" when number is not null || value.ValueKind == JsonValueKind.Null:
                    result = result with { DebounceMs = number };
                    break;
                case "maxTokens" when number > 0:
                    result = result with { MaxTokens = number.Value };
                    break;
                case "contextTokens" when number is not null:
                    result = result with { ContextTokens = number.Value };
                    break;
                case "enabled" or "languages" or "debounceMs" or "maxTokens" or "contextTokens":
                    warn($"Setting 'completion.{property.Name}' has an invalid value ({value.GetRawText()}); keeping the previous one");
                    break;
            }
        }
        return result;
    }
}

/// <summary>
/// The <c>actions</c> setting: <see cref="MaxTokens"/> caps an answer of chat, explain, tests or translate (a quarter of the
/// window at most); <see cref="Temperature"/> is the sampling temperature of answers (0 = greedy; the seed is fixed).
/// </summary>
public sealed record ActionSettings(int MaxTokens, float Temperature)
{
    public static readonly ActionSettings Default = new(1024, 0.2f);

    public static ActionSettings Parse(JsonElement element, ActionSettings current, Action<string> warn)
    {
        var result = current;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "maxTokens" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var tokens) && tokens > 0:
                    result = result with { MaxTokens = tokens };
                    break;
                case "temperature" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetSingle(out var temperature) && temperature is >= 0 and <= 2:
                    result = result with { Temperature = temperature };
                    break;
                case "maxTokens" or "temperature":
                    warn($"Setting 'actions.{property.Name}' has an invalid value ({property.Value.GetRawText()}); keeping the previous one");
                    break;
            }
        }
        return result;
    }
}
