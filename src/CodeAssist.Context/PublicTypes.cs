namespace CodeAssist.Context;

/// <summary>What the engine indexes: absolute workspace folders, user exclusion globs, and where diagnostics go.</summary>
public sealed record ContextOptions
{
    public required IReadOnlyList<string> WorkspaceFolders { get; init; }

    /// <summary>Globs relative to a workspace folder (<c>**/Generated/**</c>, <c>*.g.cs</c>); a glob without a slash also matches a file name.</summary>
    public IReadOnlyList<string> ExcludeGlobs { get; init; } = [];

    /// <summary>
    /// Above this much C# in the folders, closed files are compiled without their member bodies: a third of the
    /// memory, but opening such a file costs its first query a fresh compilation.
    /// </summary>
    public long WholeTreesUpToBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Where file summaries persist between starts (one file per set of folders); null: not persisted.</summary>
    public string? CacheDirectory { get; init; }

    public Action<string>? Log { get; init; }
}

/// <summary>0-based lines and UTF-16 characters, end exclusive, as LSP counts them.</summary>
public readonly record struct SourceSpan(int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>
/// One piece of context from a file other than the queried document. <see cref="Range"/> is the span of source
/// <see cref="Text"/> was taken from (a type rendered as a signature claims the type's whole span).
/// </summary>
public sealed record ContextItem(string Path, SourceSpan Range, string Kind, string Text);

public sealed record ContextResult(IReadOnlyList<ContextItem> Items, int Tokens);

/// <summary>
/// A compiler diagnostic in words a feature can rank by or show: Roslyn's id (<c>CS1061</c>), its message, where it is in
/// the text that was checked, and whether it is an error.
/// </summary>
public sealed record CodeDiagnostic(string Id, string Message, SourceSpan Span, bool IsError)
{
    internal static IReadOnlyList<CodeDiagnostic> Shifted(IReadOnlyList<CodeDiagnostic> diagnostics, int lines) =>
        diagnostics.Select(d => d with { Span = d.Span with { StartLine = d.Span.StartLine + lines, EndLine = d.Span.EndLine + lines } }).ToArray();
}

public sealed record IndexProgress(int FilesDone, int FilesTotal, string? Message);

public enum IndexState { NotStarted, Indexing, Ready }

public sealed record IndexStatus(IndexState State, int FilesIndexed, int FilesSkipped, long Lines);

/// <summary>A request the engine cannot answer, with the reason in words (unknown document, path outside the workspace).</summary>
public sealed class ContextException : Exception
{
    public ContextException(string message) : base(message) { }
}
