namespace CodeAssist.Git;

/// <summary>Which changes a <see cref="ChangeSet"/> holds.</summary>
public enum ChangeSource
{
    /// <summary>The index against HEAD: what <c>git commit</c> would record.</summary>
    Staged,
    /// <summary>The working tree against the index, tracked files only: what <c>git commit -a</c> would add.</summary>
    Unstaged,
    /// <summary>A commit against its first parent (benchmarks over history).</summary>
    Commit,
}

public enum FileChangeKind { Added, Deleted, Modified, Renamed, Copied, TypeChanged, Conflicted }

/// <summary>
/// One changed file. Paths are relative to the repository root with '/' separators; a name whose bytes are not
/// UTF-8 carries U+FFFD in their place, which is why contents are read by blob id rather than by path.
/// <see cref="OldBlob"/>/<see cref="NewBlob"/> are object ids, null where that side has no blob (added, deleted,
/// conflicted, or the new side of an unstaged change, which lives in the working tree).
/// </summary>
public sealed record FileChange(FileChangeKind Kind, string Path, string? OldPath, string? OldBlob, string? NewBlob)
{
    /// <summary>The path of the old side: <see cref="OldPath"/> for renames and copies, else <see cref="Path"/>.</summary>
    public string OldSidePath => OldPath ?? Path;
}

/// <summary>
/// The changes a commit message describes: the files, the patch text as git prints it (bytes: file contents need
/// not be UTF-8) and notes for the user (what was used instead of what, what was left out).
/// </summary>
public sealed record ChangeSet(ChangeSource Source, IReadOnlyList<FileChange> Files, byte[] Patch, IReadOnlyList<string> Notes)
{
    public bool IsEmpty => Files.Count == 0;
}

/// <summary>An operation git has in progress, as <c>git status</c> reports it.</summary>
public enum GitOperation { None, Merge, Rebase, CherryPick, Revert, Bisect }

/// <summary>Where HEAD is and what is in progress.</summary>
public sealed record RepositoryState(string? Branch, bool IsHeadUnborn, GitOperation Operation);

/// <summary>Which tool read the repository model (the patch always comes from the git CLI when it is on PATH).</summary>
public enum RepositoryReader { LibGit2Sharp, CommandLine }
