namespace CodeAssist.Context;

/// <summary>
/// The workspace's rules for what may reach a prompt, for features that read files themselves (commit messages read
/// git's blobs, not the index): secret-looking names (<c>.env*</c>, <c>*.pem</c>, <c>*.key</c>, <c>*.pfx</c>,
/// <c>id_rsa*</c>, <c>secrets.json</c>), the user's exclusion globs, <c>.gitignore</c>, and private-key blocks in the
/// text. The same rules the context engine applies, from the same code.
/// </summary>
public sealed class FilePolicy
{
    private readonly string _folder;
    private readonly WorkspaceFiles _files;

    /// <param name="folder">The folder paths are relative to (a repository or workspace root).</param>
    /// <param name="excludeGlobs">The <c>exclude</c> setting: globs relative to the folder.</param>
    public FilePolicy(string folder, IReadOnlyList<string> excludeGlobs)
    {
        _folder = WorkspaceFiles.Normalize(folder);
        _files = new WorkspaceFiles([_folder], excludeGlobs);
    }

    /// <summary>Why the file at <paramref name="relativePath"/> ('/'-separated) must not reach a prompt, or null.</summary>
    public string? Refusal(string relativePath)
    {
        string fullPath = Path.GetFullPath(Path.Combine(_folder, relativePath));
        if (_files.PromptRefusal(fullPath) is { } reason) return reason;
        return _files.IsGitIgnored(fullPath) ? "ignored by .gitignore" : null;
    }

    /// <summary>Whether the text holds a <c>-----BEGIN … PRIVATE KEY-----</c> block.</summary>
    public static bool ContainsPrivateKey(string text) => WorkspaceFiles.ContainsPrivateKey(text);
}
