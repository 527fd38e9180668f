using System.Text.Json;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server;

/// <summary>
/// The user's settings, read from <c>initializationOptions</c> and <c>workspace/didChangeConfiguration</c>.
/// Either may hold the settings themselves or wrap them in a <c>codeassist</c> section (as VS Code sends
/// them); unknown keys are ignored and a value of the wrong type keeps its default, with a warning.
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
                case "logLevel" or "exclude" or "model" or "indexCache":
                    warn($"Setting '{property.Name}' has an invalid value ({property.Value.GetRawText()}); keeping the previous one");
                    break;
            }
        }
        return settings;
    }

    private static string? ExpandHome(string path) =>
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
