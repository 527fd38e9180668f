using LibGit2Sharp;

namespace CodeAssist.Git;

// The LibGit2Sharp side: the repository model, in process.
public sealed partial class GitRepository
{
    // git's own default (diff.renames = true): renames, not copies, at 50% similarity.
    private static CompareOptions LibraryCompareOptions(bool forPatch) => new()
    {
        Similarity = SimilarityOptions.Renames,
        IndentHeuristic = forPatch,
    };

    /// <summary>The repository libgit2 finds above <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="LibGit2SharpException">libgit2 refuses it (ownership, an index extension or object format it lacks).</exception>
    private static GitRepository? OpenLibrary(string directory, string? indexFile, GitCommandLine? git)
    {
        string? gitDirectory = Repository.Discover(directory);
        if (gitDirectory is null)
        {
            return null;
        }
        var library = new Repository(gitDirectory, new RepositoryOptions { IndexPath = indexFile });
        try
        {
            if (library.Info.IsBare || library.Info.WorkingDirectory is null)
            {
                throw Bare(directory);
            }
            // Reading the index and HEAD now makes libgit2 refuse what it cannot read here, not halfway through a request.
            _ = library.Index.Count;
            var info = library.Info;
            var state = new RepositoryState(
                info.IsHeadDetached ? null : library.Head.FriendlyName,
                info.IsHeadUnborn,
                info.CurrentOperation switch
                {
                    CurrentOperation.Merge => GitOperation.Merge,
                    CurrentOperation.Revert or CurrentOperation.RevertSequence => GitOperation.Revert,
                    CurrentOperation.CherryPick or CurrentOperation.CherryPickSequence => GitOperation.CherryPick,
                    CurrentOperation.Bisect => GitOperation.Bisect,
                    CurrentOperation.None => GitOperation.None,
                    _ => GitOperation.Rebase,
                });
            string root = Path.TrimEndingDirectorySeparator(info.WorkingDirectory);
            return new GitRepository(root, Path.TrimEndingDirectorySeparator(info.Path), library, git, state);
        }
        catch
        {
            library.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<FileChange> LibraryChanges(Repository library, ChangeSource source, string? commit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var changes = LibraryDiff<TreeChanges>(library, source, commit, LibraryCompareOptions(forPatch: false));
        var files = new List<FileChange>();
        foreach (var change in changes)
        {
            FileChangeKind? kind = change.Status switch
            {
                ChangeKind.Added => FileChangeKind.Added,
                ChangeKind.Deleted => FileChangeKind.Deleted,
                ChangeKind.Modified => FileChangeKind.Modified,
                ChangeKind.Renamed => FileChangeKind.Renamed,
                ChangeKind.Copied => FileChangeKind.Copied,
                ChangeKind.TypeChanged => FileChangeKind.TypeChanged,
                ChangeKind.Conflicted => FileChangeKind.Conflicted,
                _ => null,
            };
            if (kind is not { } fileKind)
            {
                continue;
            }
            bool hasOld = fileKind is not (FileChangeKind.Added or FileChangeKind.Conflicted) && change.OldOid != ObjectId.Zero;
            // An unstaged change's new side is the working tree: libgit2 may hash it, git does not; read it from disk either way.
            bool hasNew = source != ChangeSource.Unstaged && fileKind is not (FileChangeKind.Deleted or FileChangeKind.Conflicted)
                          && change.Oid != ObjectId.Zero;
            files.Add(new FileChange(
                fileKind,
                change.Path.Replace('\\', '/'),
                fileKind is FileChangeKind.Renamed or FileChangeKind.Copied ? change.OldPath.Replace('\\', '/') : null,
                hasOld ? change.OldOid.Sha : null,
                hasNew ? change.Oid.Sha : null));
        }
        return files;
    }

    private static byte[] LibraryPatch(Repository library, ChangeSource source, string? commit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var patch = LibraryDiff<Patch>(library, source, commit, LibraryCompareOptions(forPatch: true));
        return System.Text.Encoding.UTF8.GetBytes(patch.Content);
    }

    private static T LibraryDiff<T>(Repository library, ChangeSource source, string? commit, CompareOptions options)
        where T : class, IDiffResult
    {
        switch (source)
        {
            case ChangeSource.Staged:
                return library.Diff.Compare<T>(library.Head.Tip?.Tree, DiffTargets.Index, null, null, options);
            case ChangeSource.Unstaged:
                return library.Diff.Compare<T>(null, false, null, options);
            default:
                var target = library.Lookup<Commit>(commit) ?? throw new GitException($"{commit} is not a commit of {library.Info.WorkingDirectory}.");
                return library.Diff.Compare<T>(target.Parents.FirstOrDefault()?.Tree, target.Tree, options);
        }
    }

    private static IEnumerable<CommitSubject> LibraryRecentCommits(Repository library, int count, CancellationToken cancellationToken)
    {
        if (library.Info.IsHeadUnborn)
        {
            return [];
        }
        // Newest first by commit date, as git log: streamed, where a topological sort would walk the whole history first.
        return library.Commits.QueryBy(new CommitFilter { SortBy = CommitSortStrategies.Time })
            .Where(c =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return c.Parents.Count() < 2;
            })
            .Take(count)
            .Select(c => new CommitSubject(c.Sha, Subject(c.Message)))
            .ToArray();
    }

    /// <summary>git's subject: the first paragraph, its lines joined by spaces.</summary>
    private static string Subject(string message)
    {
        var lines = message.Replace("\r", "").TrimStart('\n').Split('\n');
        return string.Join(' ', lines.TakeWhile(line => line.Trim().Length > 0).Select(line => line.Trim()));
    }

    private static Dictionary<string, byte[]> LibraryBlobs(Repository library, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (library.Lookup<Blob>(id) is { } blob)
            {
                using var stream = blob.GetContentStream();
                using var bytes = new MemoryStream((int)Math.Min(blob.Size, int.MaxValue));
                stream.CopyTo(bytes);
                blobs[id] = bytes.ToArray();
            }
        }
        return blobs;
    }
}
