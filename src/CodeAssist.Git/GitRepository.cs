using System.Text;
using LibGit2Sharp;

namespace CodeAssist.Git;

/// <summary>
/// One repository, read with each tool where it is strongest: LibGit2Sharp in process for the repository model (state,
/// changed files with renames, subjects, blobs), the git CLI for patch text, which must be exactly what the user sees
/// with <c>git diff</c>. Each is the other's fallback: without git on PATH the patch comes from libgit2 (and the
/// change set says so); a repository libgit2 refuses (sparse or split index, SHA-256 objects) is read with the CLI
/// alone. Not thread-safe: one request opens, uses and disposes it.
/// </summary>
public sealed partial class GitRepository : IDisposable
{
    private readonly Repository? _library;
    private readonly GitCommandLine? _git;
    private readonly List<string> _notes = [];

    private GitRepository(string root, string gitDirectory, Repository? library, GitCommandLine? git, RepositoryState state)
    {
        Root = root;
        GitDirectory = gitDirectory;
        _library = library;
        _git = git;
        State = state;
    }

    /// <summary>The working tree's root, without a trailing separator.</summary>
    public string Root { get; }

    public string GitDirectory { get; }

    public RepositoryState State { get; }

    public RepositoryReader Reader => _library is null ? RepositoryReader.CommandLine : RepositoryReader.LibGit2Sharp;

    public bool HasGitCommandLine => _git is not null;

    /// <summary>How this repository is being read, where that is not the usual way (for the user's notes).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The repository holding <paramref name="path"/> (a folder or a file inside the working tree).</summary>
    /// <exception cref="GitException">Not in a repository, a bare one, one owned by another user, or one neither tool can read.</exception>
    public static async Task<GitRepository> OpenAsync(string path, GitOptions options, CancellationToken cancellationToken)
    {
        string directory = Path.GetFullPath(path);
        if (File.Exists(directory))
        {
            directory = Path.GetDirectoryName(directory)!;
        }
        if (!Directory.Exists(directory))
        {
            throw new GitException($"{path} does not exist.");
        }

        string? indexFile = options.IndexFile ?? Environment.GetEnvironmentVariable("GIT_INDEX_FILE");
        indexFile = string.IsNullOrEmpty(indexFile) ? null : Path.GetFullPath(indexFile);
        var git = GitCommandLine.Find(options.SearchPath ?? Environment.GetEnvironmentVariable("PATH"), indexFile);

        string libraryRefusal;
        try
        {
            if (OpenLibrary(directory, indexFile, git) is { } opened)
            {
                return opened;
            }
            libraryRefusal = "not a repository";
        }
        catch (LibGit2SharpException exception)
        {
            libraryRefusal = exception.Message;
        }

        if (git is null)
        {
            throw libraryRefusal switch
            {
                "not a repository" => NotARepository(directory),
                _ when IsOwnershipRefusal(libraryRefusal) => OwnedByAnotherUser(directory),
                _ => new GitException(
                    $"git is not on PATH and libgit2 cannot read the repository at {directory} ({libraryRefusal}). Install git."),
            };
        }

        var repository = await OpenCommandLineAsync(directory, git, cancellationToken);
        if (libraryRefusal != "not a repository")
        {
            repository._notes.Add($"libgit2 cannot read this repository ({libraryRefusal}): read with the git command line");
        }
        return repository;
    }

    private static bool IsOwnershipRefusal(string message) =>
        message.Contains("not owned by current user", StringComparison.OrdinalIgnoreCase)
        || message.Contains("dubious ownership", StringComparison.OrdinalIgnoreCase);

    private static GitException NotARepository(string directory) =>
        new($"{directory} is not inside a git repository.");

    private static GitException OwnedByAnotherUser(string directory) =>
        new($"The repository at {directory} is owned by another user, so git does not trust it. If you trust it, run: " +
            $"git config --global --add safe.directory {directory}");

    private static GitException Bare(string directory) =>
        new($"The repository at {directory} is bare: there is no working tree to describe.");

    /// <summary>The changes that are staged (the index against HEAD).</summary>
    public Task<ChangeSet> StagedChangesAsync(CancellationToken cancellationToken) =>
        ChangesAsync(ChangeSource.Staged, null, cancellationToken);

    /// <summary>The changes to tracked files that are not staged (the working tree against the index).</summary>
    public Task<ChangeSet> UnstagedChangesAsync(CancellationToken cancellationToken) =>
        ChangesAsync(ChangeSource.Unstaged, null, cancellationToken);

    /// <summary>What <paramref name="commit"/> changed against its first parent (everything, for a root commit).</summary>
    public Task<ChangeSet> CommitChangesAsync(string commit, CancellationToken cancellationToken) =>
        ChangesAsync(ChangeSource.Commit, commit, cancellationToken);

    private async Task<ChangeSet> ChangesAsync(ChangeSource source, string? commit, CancellationToken cancellationToken)
    {
        var files = _library is not null
            ? LibraryChanges(_library, source, commit, cancellationToken)
            : await CommandLineChangesAsync(_git!, source, commit, cancellationToken);
        if (files.Count == 0)
        {
            return new ChangeSet(source, files, [], _notes.ToArray());
        }
        if (_git is not null)
        {
            return new ChangeSet(source, files, await CommandLinePatchAsync(_git, source, commit, cancellationToken), _notes.ToArray());
        }
        string[] notes = [.. _notes, "git is not on PATH: the patch was made by libgit2, which can differ from git diff (textconv, diff.context, conflicts)"];
        return new ChangeSet(source, files, LibraryPatch(_library!, source, commit, cancellationToken), notes);
    }

    /// <summary>The last <paramref name="count"/> subjects on HEAD, newest first, merges left out; none on an unborn branch.</summary>
    public async Task<IReadOnlyList<string>> RecentSubjectsAsync(int count, CancellationToken cancellationToken) =>
        _library is not null
            ? LibraryRecentCommits(_library, count, cancellationToken).Select(c => c.Subject).ToArray()
            : (await CommandLineRecentCommitsAsync(_git!, count, cancellationToken)).Select(c => c.Subject).ToArray();

    /// <summary>The ids of the last <paramref name="count"/> commits on HEAD that are not merges, newest first.</summary>
    public async Task<IReadOnlyList<string>> RecentCommitIdsAsync(int count, CancellationToken cancellationToken) =>
        _library is not null
            ? LibraryRecentCommits(_library, count, cancellationToken).Select(c => c.Id).ToArray()
            : (await CommandLineRecentCommitsAsync(_git!, count, cancellationToken)).Select(c => c.Id).ToArray();

    /// <summary>The contents of the blobs with these ids; an id that names no blob is left out.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadBlobsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return new Dictionary<string, byte[]>();
        }
        return _library is not null
            ? LibraryBlobs(_library, distinct, cancellationToken)
            : await CommandLineBlobsAsync(_git!, distinct, cancellationToken);
    }

    /// <summary>The working tree's copy of <paramref name="path"/> (relative), or null when it cannot be read.</summary>
    public byte[]? ReadWorkingFile(string path)
    {
        try
        {
            return File.ReadAllBytes(Path.Combine(Root, path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How many untracked files (not ignored) the working tree has: <c>git commit -a</c> leaves them out.</summary>
    public async Task<int> CountUntrackedAsync(CancellationToken cancellationToken)
    {
        if (_library is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _library.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, DetectRenamesInWorkDir = false })
                .Untracked.Count();
        }
        var output = await RunAsync(_git!, ["ls-files", "--others", "--exclude-standard", "-z"], null, cancellationToken);
        return output.Output.Count(b => b == 0);
    }

    /// <summary>Where git looks for this repository's hooks: <c>core.hooksPath</c>, else the common git directory's <c>hooks</c>.</summary>
    public async Task<string> HooksDirectoryAsync(CancellationToken cancellationToken)
    {
        if (_git is not null)
        {
            string relative = (await RunAsync(_git, ["rev-parse", "--git-path", "hooks"], null, cancellationToken)).Text.Trim();
            return Path.GetFullPath(Path.Combine(Root, relative));
        }
        string? configured = _library!.Config.Get<string>("core.hooksPath")?.Value;
        return configured is { Length: > 0 } ? Path.GetFullPath(Path.Combine(Root, configured)) : Path.Combine(GitDirectory, "hooks");
    }

    private async Task<GitOutput> RunAsync(GitCommandLine git, IReadOnlyList<string> arguments, byte[]? input, CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(Root, arguments, input, cancellationToken);
        if (!output.Succeeded)
        {
            throw new GitException($"git {string.Join(' ', arguments)} failed in {Root}: {output.Error.Trim()}");
        }
        return output;
    }

    private static string DecodePath(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public void Dispose() => _library?.Dispose();

    private sealed record CommitSubject(string Id, string Subject);
}
