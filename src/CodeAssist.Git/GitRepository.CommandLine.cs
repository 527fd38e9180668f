using System.Text;

namespace CodeAssist.Git;

// The git CLI side: the patch text always (when git is on PATH), and everything for repositories libgit2 refuses.
public sealed partial class GitRepository
{
    private static async Task<GitRepository> OpenCommandLineAsync(string directory, GitCommandLine git, CancellationToken cancellationToken)
    {
        var located = await git.RunAsync(directory, ["rev-parse", "--show-toplevel", "--absolute-git-dir"], null, cancellationToken);
        if (!located.Succeeded)
        {
            if (IsOwnershipRefusal(located.Error)) throw OwnedByAnotherUser(directory);
            if (located.Error.Contains("not a git repository", StringComparison.OrdinalIgnoreCase)) throw NotARepository(directory);
            if (located.Error.Contains("work tree", StringComparison.OrdinalIgnoreCase)) throw Bare(directory);
            throw new GitException($"git cannot read the repository at {directory}: {located.Error.Trim()}");
        }
        var lines = located.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2)
        {
            // rev-parse prints nothing for --show-toplevel in a bare repository or inside .git.
            throw Bare(directory);
        }
        string root = Path.TrimEndingDirectorySeparator(lines[0]);
        string gitDirectory = Path.TrimEndingDirectorySeparator(lines[1]);

        var branch = await git.RunAsync(root, ["symbolic-ref", "--short", "-q", "HEAD"], null, cancellationToken);
        var head = await git.RunAsync(root, ["rev-parse", "-q", "--verify", "HEAD^{commit}"], null, cancellationToken);
        var state = new RepositoryState(
            branch.Succeeded ? branch.Text.Trim() : null,
            IsHeadUnborn: !head.Succeeded,
            OperationInProgress(gitDirectory));
        return new GitRepository(root, gitDirectory, null, git, state);
    }

    /// <summary>What is in progress, decided from the same files git's own status reads.</summary>
    private static GitOperation OperationInProgress(string gitDirectory)
    {
        bool Has(string name) => Path.Exists(Path.Combine(gitDirectory, name));
        if (Has("rebase-merge") || Has("rebase-apply")) return GitOperation.Rebase;
        if (Has("MERGE_HEAD")) return GitOperation.Merge;
        if (Has("CHERRY_PICK_HEAD")) return GitOperation.CherryPick;
        if (Has("REVERT_HEAD")) return GitOperation.Revert;
        if (Has("BISECT_LOG")) return GitOperation.Bisect;
        return GitOperation.None;
    }

    private async Task<IReadOnlyList<FileChange>> CommandLineChangesAsync(GitCommandLine git, ChangeSource source, string? commit, CancellationToken cancellationToken)
    {
        string[] arguments = source switch
        {
            ChangeSource.Staged => ["diff", "--cached", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-color"],
            ChangeSource.Unstaged => ["diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-color"],
            _ => ["show", "--format=", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-color", commit!, "--"],
        };
        var output = await RunAsync(git, arguments, null, cancellationToken);
        return ParseRaw(output.Output, source);
    }

    private async Task<byte[]> CommandLinePatchAsync(GitCommandLine git, ChangeSource source, string? commit, CancellationToken cancellationToken)
    {
        string[] arguments = source switch
        {
            ChangeSource.Staged => ["diff", "--cached", "--no-color", "--no-ext-diff"],
            ChangeSource.Unstaged => ["diff", "--no-color", "--no-ext-diff"],
            _ => ["show", "--format=", "--no-color", "--no-ext-diff", commit!, "--"],
        };
        return (await RunAsync(git, arguments, null, cancellationToken)).Output;
    }

    /// <summary>
    /// Parses <c>--raw -z</c>: <c>:oldmode newmode oldid newid STATUS\0path\0</c>, with a second path for renames and
    /// copies. Paths are bytes; a zero id means that side has no blob (or, unstaged, lives in the working tree).
    /// </summary>
    internal static IReadOnlyList<FileChange> ParseRaw(byte[] raw, ChangeSource source)
    {
        var files = new List<FileChange>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int position = 0;
        string? NextField()
        {
            if (position >= raw.Length) return null;
            int end = Array.IndexOf(raw, (byte)0, position);
            if (end < 0) end = raw.Length;
            string field = DecodePath(raw.AsSpan(position, end - position));
            position = end + 1;
            return field;
        }

        while (NextField() is { } header)
        {
            if (!header.StartsWith(':') || header.StartsWith("::", StringComparison.Ordinal))
            {
                continue; // a combined (merge) entry is not described; the caller skips merges
            }
            var parts = header[1..].Split(' ');
            if (parts.Length < 5 || NextField() is not { } path)
            {
                break;
            }
            char status = parts[4][0];
            string? oldPath = null;
            if (status is 'R' or 'C')
            {
                oldPath = path;
                path = NextField() ?? path;
            }
            var kind = status switch
            {
                'A' => FileChangeKind.Added,
                'D' => FileChangeKind.Deleted,
                'R' => FileChangeKind.Renamed,
                'C' => FileChangeKind.Copied,
                'T' => FileChangeKind.TypeChanged,
                'U' => FileChangeKind.Conflicted,
                _ => FileChangeKind.Modified,
            };
            if (!seen.Add(path))
            {
                continue; // an unmerged path is listed once per stage
            }
            string? Id(string id) => id.All(c => c == '0') ? null : id;
            files.Add(new FileChange(
                kind,
                path,
                oldPath,
                kind is FileChangeKind.Added or FileChangeKind.Conflicted ? null : Id(parts[2]),
                source == ChangeSource.Unstaged || kind is FileChangeKind.Deleted or FileChangeKind.Conflicted ? null : Id(parts[3])));
        }
        return files;
    }

    private async Task<IReadOnlyList<CommitSubject>> CommandLineRecentCommitsAsync(GitCommandLine git, int count, CancellationToken cancellationToken)
    {
        if (State.IsHeadUnborn)
        {
            return [];
        }
        // %x00 separates records: a subject is one line, but an id and a subject per record keeps parsing trivial.
        var output = await RunAsync(git, ["log", $"-n{count}", "--no-merges", "--format=%H %s%x00"], null, cancellationToken);
        return output.Text.Split('\0')
            .Select(record => record.TrimStart('\n'))
            .Where(record => record.Length > 0)
            .Select(record => record.Split(' ', 2) is [var id, var subject] ? new CommitSubject(id, subject) : new CommitSubject(record, ""))
            .ToArray();
    }

    /// <summary>Reads every blob through one <c>git cat-file --batch</c>: ids in on stdin, <c>id type size\ncontent\n</c> out.</summary>
    private async Task<Dictionary<string, byte[]>> CommandLineBlobsAsync(GitCommandLine git, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var input = Encoding.ASCII.GetBytes(string.Concat(ids.Select(id => id + "\n")));
        var output = (await RunAsync(git, ["cat-file", "--batch"], input, cancellationToken)).Output;
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int position = 0;
        while (position < output.Length)
        {
            int lineEnd = Array.IndexOf(output, (byte)'\n', position);
            if (lineEnd < 0) break;
            var header = Encoding.ASCII.GetString(output, position, lineEnd - position).Split(' ');
            position = lineEnd + 1;
            if (header is [var id, "blob", var sizeText] && int.TryParse(sizeText, out int size))
            {
                blobs[id] = output.AsSpan(position, size).ToArray();
                position += size + 1;
            }
            else if (header is [_, _, var otherSize] && int.TryParse(otherSize, out int skipped))
            {
                position += skipped + 1; // not a blob
            }
            // "<id> missing" has no content to skip
        }
        return blobs;
    }
}
