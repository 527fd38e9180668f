using CodeAssist.Lsp;

namespace CodeAssist.Server.Documents;

/// <summary>Document URIs as LSP sends them, and the file paths the index works with.</summary>
public static class DocumentUri
{
    /// <summary>The local path of a <c>file:</c> URI; null for any other scheme (untitled buffers, remote files).</summary>
    public static string? TryGetPath(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? Path.GetFullPath(parsed.LocalPath) : null;

    public static string GetPath(string uri) =>
        TryGetPath(uri) ?? throw new LspException(ErrorCodes.InvalidParams, $"{uri} is not a file: URI; context is read from files on this machine");

    public static string FromPath(string path) => new Uri(path).AbsoluteUri;
}
