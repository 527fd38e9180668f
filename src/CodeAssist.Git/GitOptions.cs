namespace CodeAssist.Git;

/// <summary>How to reach git. Defaults read the process environment.</summary>
public sealed record GitOptions
{
    public static readonly GitOptions Default = new();

    /// <summary>Where to look for the <c>git</c> executable (a PATH-style list); null = the PATH variable.</summary>
    public string? SearchPath { get; init; }

    /// <summary>
    /// The index to read instead of the repository's own; null = <c>GIT_INDEX_FILE</c> when set. Inside a
    /// prepare-commit-msg hook git points that variable at the index being committed (a temporary one for
    /// <c>git commit -a</c> or <c>git commit PATH</c>).
    /// </summary>
    public string? IndexFile { get; init; }
}
