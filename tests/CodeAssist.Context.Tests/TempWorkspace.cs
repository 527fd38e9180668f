using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>A real folder of files for one test, deleted afterwards, and an engine over it.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "codeassist-context-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string text) => WriteBytes(relativePath, System.Text.Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        string path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <param name="bodyless">Compile closed files without their member bodies, as for a large repository.</param>
    public async Task<ContextEngine> IndexAsync(IReadOnlyList<string>? excludeGlobs = null, List<string>? log = null, string? cacheDirectory = null,
        bool bodyless = false)
    {
        var options = new ContextOptions
        {
            WorkspaceFolders = [Root],
            ExcludeGlobs = excludeGlobs ?? [],
            CacheDirectory = cacheDirectory,
            Log = log is null ? null : message => { lock (log) log.Add(message); },
        };
        var engine = new ContextEngine(bodyless ? options with { WholeTreesUpToBytes = 0 } : options);
        await engine.IndexAsync(null, CancellationToken.None);
        return engine;
    }

    /// <summary>The 0-based line and character of the first "|" in the text, and the text without it.</summary>
    public static (string Text, int Line, int Character) Cursor(string textWithCursor)
    {
        int offset = textWithCursor.IndexOf('|');
        string before = textWithCursor[..offset];
        int line = before.Count(c => c == '\n');
        int character = offset - (before.LastIndexOf('\n') + 1);
        return (textWithCursor.Remove(offset, 1), line, character);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
