namespace CodeAssist.Features.Prompts;

/// <summary>
/// Every prompt template: the built-in ones parsed once, the user's when <see cref="Load"/> reads them. A task's
/// template is looked up most specific first: the <c>prompts</c> setting (task → template text), then each workspace
/// folder's <c>.codeassist/prompts/</c>, then the built-in <c>prompts/</c> of the repository (embedded in this
/// assembly); in each place <c>TASK.FAMILY.prompt</c> (the model family, e.g. <c>chat.qwencoder.prompt</c>) before
/// <c>TASK.prompt</c>.
/// A user's template that does not parse is reported through <c>warn</c> and skipped, so a typo falls back to the
/// built-in template instead of breaking the feature.
/// </summary>
public sealed class PromptLibrary
{
    private const string Extension = ".prompt";
    private readonly List<IReadOnlyDictionary<string, PromptTemplate>> _layers;

    private PromptLibrary(List<IReadOnlyDictionary<string, PromptTemplate>> layers) => _layers = layers;

    private static readonly Dictionary<string, PromptTemplate> s_builtIn = BuiltInTemplates();

    /// <summary>The built-in templates only.</summary>
    public static PromptLibrary BuiltIn { get; } = new([s_builtIn]);

    /// <param name="overrides">The <c>prompts</c> setting: task (or task.family) → template text.</param>
    public static PromptLibrary Load(IReadOnlyList<string> workspaceFolders, IReadOnlyDictionary<string, string> overrides, Action<string> warn)
    {
        var layers = new List<IReadOnlyDictionary<string, PromptTemplate>>();
        var fromSettings = new Dictionary<string, PromptTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, text) in overrides)
        {
            TryAdd(fromSettings, key, $"the '{key}' entry of the prompts setting", () => text, warn);
        }
        layers.Add(fromSettings);
        foreach (var folder in workspaceFolders)
        {
            var directory = Path.Combine(folder, ".codeassist", "prompts");
            var fromWorkspace = new Dictionary<string, PromptTemplate>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(directory))
            {
                foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
                {
                    TryAdd(fromWorkspace, Path.GetFileNameWithoutExtension(file), file, () => File.ReadAllText(file), warn);
                }
            }
            layers.Add(fromWorkspace);
        }
        layers.Add(s_builtIn);
        return new PromptLibrary(layers);
    }

    /// <summary>
    /// What the workspace templates <see cref="Load"/> would read look like on disk (names, sizes, write times): a library
    /// loaded for a stamp equal to the current one is still current, so a template saved in an editor is used by the
    /// next request without reading every file again.
    /// </summary>
    public static string WorkspaceStamp(IReadOnlyList<string> workspaceFolders)
    {
        var stamp = new System.Text.StringBuilder();
        foreach (var folder in workspaceFolders)
        {
            var directory = new DirectoryInfo(Path.Combine(folder, ".codeassist", "prompts"));
            if (!directory.Exists)
            {
                continue;
            }
            foreach (var file in directory.EnumerateFiles("*" + Extension).OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                stamp.Append(file.FullName).Append('|').Append(file.Length).Append('|').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }
        return stamp.ToString();
    }

    /// <summary>The template for <paramref name="task"/> and the model's family (as <c>ModelDescription.FimFamily</c> names it).</summary>
    /// <exception cref="PromptException">No template exists for the task.</exception>
    public PromptTemplate Get(string task, string? family = null)
    {
        var keys = family is { Length: > 0 } ? new[] { $"{task}.{family.ToLowerInvariant()}", task } : [task];
        foreach (var layer in _layers)
        {
            foreach (var key in keys)
            {
                if (layer.TryGetValue(key, out var template))
                {
                    return template;
                }
            }
        }
        throw new PromptException($"There is no prompt template for '{task}' (looked for {string.Join(", ", keys.Select(k => k + Extension))}).");
    }

    /// <summary>Names (<c>task</c> or <c>task.family</c>) of the built-in templates.</summary>
    public static IReadOnlyCollection<string> BuiltInNames => BuiltIn._layers[^1].Keys.ToArray();

    private static void TryAdd(Dictionary<string, PromptTemplate> layer, string key, string source, Func<string> read, Action<string> warn)
    {
        try
        {
            layer[key] = PromptTemplate.Parse(source, read());
        }
        catch (Exception exception) when (exception is PromptException or IOException or UnauthorizedAccessException)
        {
            warn($"Prompt template {source} is not used: {exception.Message}");
        }
    }

    private static Dictionary<string, PromptTemplate> BuiltInTemplates()
    {
        var assembly = typeof(PromptLibrary).Assembly;
        var templates = new Dictionary<string, PromptTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("prompts/", StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            // A built-in template that does not parse is a bug of ours: fail loudly, the golden tests catch it first.
            templates[resource["prompts/".Length..^Extension.Length]] = PromptTemplate.Parse(resource, reader.ReadToEnd());
        }
        return templates;
    }
}
