using System.Text.Json;

namespace CodeAssist.Bench;

/// <summary>Where a needed symbol is declared: 0-based inclusive lines, from the declaring node's start to its identifier.</summary>
public sealed record DeclarationLocation(string File, int StartLine, int EndLine);

/// <summary>A declaration the hidden text uses; hitting any of its locations counts.</summary>
public sealed record NeededDeclaration(string Symbol, string Kind, IReadOnlyList<DeclarationLocation> Locations)
{
    /// <summary>The last dotted segment of the symbol without generic arguments or parameters: what an item's text must name.</summary>
    public string SimpleName
    {
        get
        {
            string symbol = Symbol;
            int parenthesis = symbol.IndexOf('(');
            if (parenthesis >= 0) symbol = symbol[..parenthesis];
            var withoutGenerics = new System.Text.StringBuilder();
            int depth = 0;
            foreach (char c in symbol)
            {
                if (c == '<') depth++;
                else if (c == '>') depth--;
                else if (depth == 0) withoutGenerics.Append(c);
            }
            symbol = withoutGenerics.ToString();
            int bracket = symbol.IndexOf('[');
            if (bracket >= 0) symbol = symbol[..bracket];
            return symbol[(symbol.LastIndexOf('.') + 1)..];
        }
    }
}

/// <summary>One benchmark task: a cursor in a repository file and what the hidden rest of the line needs.</summary>
public sealed record BenchTask(string Id, string Repo, string File, int Line, int Character, string Kind, string LineSha1,
    IReadOnlyList<NeededDeclaration> Needed)
{
    /// <summary>The document's absolute path under the corpus folder.</summary>
    public string DocumentPath(string corpusDirectory) => Path.GetFullPath(Path.Combine(corpusDirectory, Repo, File));

    public string RepositoryPath(string corpusDirectory) => Path.GetFullPath(Path.Combine(corpusDirectory, Repo));

    /// <summary>Reads tasks from JSON Lines (one task an object, as in <c>bench/context-tasks.jsonl</c>).</summary>
    public static IReadOnlyList<BenchTask> Load(string path) => Parse(System.IO.File.ReadLines(path));

    public static IReadOnlyList<BenchTask> Parse(IEnumerable<string> lines)
    {
        var tasks = new List<BenchTask>();
        int lineNumber = 0;
        foreach (string line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                tasks.Add(FromJson(json.RootElement));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new BenchException($"task line {lineNumber}: {e.Message}");
            }
        }
        return tasks;
    }

    private static BenchTask FromJson(JsonElement task)
    {
        var needed = new List<NeededDeclaration>();
        foreach (var item in task.GetProperty("needed").EnumerateArray())
        {
            var locations = new List<DeclarationLocation> { Location(item) };
            if (item.TryGetProperty("also", out var also)) locations.AddRange(also.EnumerateArray().Select(Location));
            needed.Add(new NeededDeclaration(item.GetProperty("symbol").GetString()!, item.GetProperty("kind").GetString()!, locations));
        }
        return new BenchTask(
            task.GetProperty("id").GetString()!, task.GetProperty("repo").GetString()!, task.GetProperty("file").GetString()!,
            task.GetProperty("line").GetInt32(), task.GetProperty("character").GetInt32(), task.GetProperty("kind").GetString()!,
            task.GetProperty("lineSha1").GetString()!, needed);
    }

    private static DeclarationLocation Location(JsonElement element) =>
        new(element.GetProperty("file").GetString()!, element.GetProperty("startLine").GetInt32(), element.GetProperty("endLine").GetInt32());
}

/// <summary>The benchmark cannot run as asked: a malformed task, or a corpus that differs from the one the tasks were made on.</summary>
public sealed class BenchException(string message) : Exception(message);
