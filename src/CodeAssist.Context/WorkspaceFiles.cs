using System.Collections.Concurrent;
using System.Text;

namespace CodeAssist.Context;

/// <summary>
/// Decides which files of the workspace folders may be read and shown to a model, and reads them. Everything
/// refused is reported with a reason: .gitignore'd, secret-looking, excluded by a user glob, outside the folders
/// (symlinks included), too large, binary, or (other than C#) not valid UTF-8.
/// </summary>
internal sealed class WorkspaceFiles
{
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly HashSet<string> s_skippedDirectories = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", ".git", ".vs", ".idea", "packages",
    };

    // Text files worth a lexical window; C# goes to Roslyn as well.
    private static readonly HashSet<string> s_textExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".md", ".txt", ".json", ".xml", ".config", ".csproj", ".props", ".targets", ".xaml", ".resx",
        ".js", ".ts", ".py", ".sql", ".yml", ".yaml", ".sh", ".ps1", ".html", ".css", ".fs", ".vb", ".cshtml", ".razor",
    };

    private readonly IReadOnlyList<string> _folders;
    private readonly IReadOnlyList<Glob> _excludes;
    private readonly ConcurrentDictionary<string, IgnoreRules?> _gitIgnores = new(StringComparer.Ordinal);

    public WorkspaceFiles(IReadOnlyList<string> folders, IReadOnlyList<string> excludeGlobs)
    {
        _folders = folders.Select(Normalize).ToArray();
        _excludes = excludeGlobs.Select(g => Glob.Create(g.Trim().TrimStart('/'), anchored: g.Contains('/'))).ToArray();
    }

    public static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    public bool IsInWorkspace(string fullPath) => FolderOf(fullPath) is not null;

    private string? FolderOf(string fullPath) =>
        _folders.FirstOrDefault(f => fullPath.Length > f.Length && fullPath.StartsWith(f, StringComparison.Ordinal) && fullPath[f.Length] == Path.DirectorySeparatorChar);

    public static bool IsCSharp(string path) => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the file must not be used as context, by its path alone, or null.</summary>
    public string? PathRefusal(string fullPath)
    {
        if (PromptRefusal(fullPath) is { } reason) return reason;
        if (!s_textExtensions.Contains(Path.GetExtension(fullPath))) return "not a source or text file";
        return null;
    }

    /// <summary>
    /// Why no prompt may show the file whatever its kind (outside the folders, secret-looking, excluded by a glob), or
    /// null. Commit messages use this rule alone: a committed file of any type may be summarised.
    /// </summary>
    public string? PromptRefusal(string fullPath)
    {
        string? folder = FolderOf(fullPath);
        if (folder is null) return "outside the workspace folders";
        if (LooksSecret(Path.GetFileName(fullPath))) return "looks like a secret";
        string relative = Path.GetRelativePath(folder, fullPath).Replace('\\', '/');
        if (_excludes.Any(g => g.IsMatch(relative))) return "excluded by a glob";
        return null;
    }

    /// <summary>Whether the .gitignore files on the way down from the workspace folder ignore the file.</summary>
    public bool IsGitIgnored(string fullPath) =>
        FolderOf(fullPath) is { } folder && RefusalOnTheWay(folder, fullPath, buildFolders: false) is not null;

    /// <summary>
    /// Why a single file named by a watcher or a client must not be used as context, or null: the path rules plus
    /// the .gitignore files and skipped folders on its way down from the workspace folder.
    /// </summary>
    public string? Refusal(string fullPath) =>
        PathRefusal(fullPath) ?? RefusalOnTheWay(FolderOf(fullPath)!, fullPath, buildFolders: true);

    /// <summary>What refuses the file on its way down from <paramref name="folder"/>: a .gitignore, or with
    /// <paramref name="buildFolders"/> a build or tool folder it is in; null when nothing does.</summary>
    private string? RefusalOnTheWay(string folder, string fullPath, bool buildFolders)
    {
        var ignores = new List<IgnoreRules>();
        string current = folder;
        var segments = Path.GetRelativePath(folder, fullPath).Split(Path.DirectorySeparatorChar);
        for (int i = 0; i < segments.Length; i++)
        {
            if (GitIgnoreOf(current) is { } rules) ignores.Add(rules);
            current = Path.Combine(current, segments[i]);
            bool isDirectory = i < segments.Length - 1;
            if (IsIgnored(ignores, current, isDirectory)) return "ignored by .gitignore";
            if (buildFolders && isDirectory && s_skippedDirectories.Contains(segments[i])) return "in a build or tool folder";
        }
        return null;
    }

    /// <summary>The rules of the folder's .gitignore, read once; a watched change to the file drops them.</summary>
    private IgnoreRules? GitIgnoreOf(string directory) => _gitIgnores.GetOrAdd(directory, static directory =>
    {
        string gitignore = Path.Combine(directory, ".gitignore");
        try { return File.Exists(gitignore) ? IgnoreRules.Parse(directory, File.ReadAllLines(gitignore)) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    });

    public void Forget(string path)
    {
        if (Path.GetFileName(path) == ".gitignore") _gitIgnores.TryRemove(Path.GetDirectoryName(path)!, out _);
    }

    private static bool LooksSecret(string name) =>
        name.StartsWith(".env", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("id_rsa", StringComparison.OrdinalIgnoreCase)
        || name.Equals("secrets.json", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".key", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Walks every folder once. Directories are entered at most once by their real path, so symlink loops end;
    /// symlinks leading outside the folders are refused.
    /// </summary>
    public void Enumerate(ICollection<string> files, ICollection<(string Path, string Reason)> skipped, CancellationToken cancellationToken)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in _folders)
        {
            if (!Directory.Exists(folder)) { skipped.Add((folder, "folder does not exist")); continue; }
            Walk(folder, RealPath(folder), [], visited, files, skipped, cancellationToken);
        }
    }

    private void Walk(string directory, string realDirectory, IReadOnlyList<IgnoreRules> ignores, HashSet<string> visited,
        ICollection<string> files, ICollection<(string, string)> skipped, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!visited.Add(realDirectory)) { skipped.Add((directory, "symlink loop or directory seen twice")); return; }
        if (!_folders.Contains(realDirectory) && !IsInWorkspace(realDirectory))
        {
            skipped.Add((directory, "symlink leads outside the workspace folders"));
            return;
        }
        _gitIgnores.TryRemove(directory, out _); // the walk reads them afresh
        if (GitIgnoreOf(directory) is { } rules) ignores = [.. ignores, rules];

        IEnumerable<FileSystemInfo> entries;
        try { entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToArray(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { skipped.Add((directory, e.Message)); return; }

        foreach (var entry in entries)
        {
            bool isDirectory = entry is DirectoryInfo;
            if (IsIgnored(ignores, entry.FullName, isDirectory)) { skipped.Add((entry.FullName, "ignored by .gitignore")); continue; }
            if (isDirectory)
            {
                if (s_skippedDirectories.Contains(entry.Name)) continue;
                string real = entry.LinkTarget is null ? Path.Combine(realDirectory, entry.Name) : RealPath(entry.FullName);
                Walk(entry.FullName, real, ignores, visited, files, skipped, cancellationToken);
            }
            else if (PathRefusal(entry.FullName) is { } reason)
            {
                if (reason != "not a source or text file") skipped.Add((entry.FullName, reason));
            }
            else if (entry.LinkTarget is not null && !IsInWorkspace(RealPath(entry.FullName)))
            {
                skipped.Add((entry.FullName, "symlink leads outside the workspace folders"));
            }
            else files.Add(entry.FullName);
        }
    }

    private static bool IsIgnored(IReadOnlyList<IgnoreRules> ignores, string path, bool isDirectory)
    {
        bool ignored = false;
        foreach (var rules in ignores)
        {
            if (rules.Match(path, isDirectory) is { } verdict) ignored = verdict;
        }
        return ignored;
    }

    private static string RealPath(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            return Normalize(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName);
        }
        catch (IOException)
        {
            return Normalize(path); // a link that cannot be resolved (a loop) is its own real path: seen once
        }
    }

    /// <summary>
    /// Reads a file as strict UTF-8 without its BOM, a C# file that is not UTF-8 as Latin-1; null with a reason when it
    /// must not be used.
    /// </summary>
    public static (string? Text, string? Refusal) Read(string fullPath)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists) return (null, "file does not exist");
            if (info.Length > MaxFileBytes) return (null, $"larger than {MaxFileBytes / 1024} KB");
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (null, e.Message); }
        return Decode(bytes, IsCSharp(fullPath));
    }

    /// <param name="codePageFallback">
    /// Decode invalid UTF-8 as Latin-1 rather than refuse it, as the C# compiler falls back to the code page: older C#
    /// code bases have files saved that way (a © in a licence header), and what they declare is needed like any other's.
    /// </param>
    public static (string? Text, string? Refusal) Decode(byte[] bytes, bool codePageFallback)
    {
        if (bytes.Length > MaxFileBytes) return (null, $"larger than {MaxFileBytes / 1024} KB");
        if (Array.IndexOf(bytes, (byte)0) >= 0) return (null, "binary");
        string text;
        try
        {
            int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            if (!codePageFallback) return (null, "not valid UTF-8");
            text = Encoding.Latin1.GetString(bytes);
        }
        if (ContainsPrivateKey(text)) return (null, "contains a private key");
        return (text, null);
    }

    public static bool ContainsPrivateKey(string text)
    {
        int begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        return begin >= 0 && text.IndexOf("PRIVATE KEY-----", begin, StringComparison.Ordinal) >= 0;
    }
}
