namespace CodeAssist.Git;

/// <summary>
/// A git problem the user can fix, worded as what to do: not a repository, a repository owned by another user,
/// git missing while the repository is one libgit2 cannot read. Anything else escaping this project is a bug.
/// </summary>
public sealed class GitException(string message, Exception? inner = null) : Exception(message, inner);
