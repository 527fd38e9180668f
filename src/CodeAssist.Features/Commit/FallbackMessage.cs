using CodeAssist.Git;

namespace CodeAssist.Features.Commit;

/// <summary>
/// The message written without a model, or when its answer is unusable: the subject names the most telling API change
/// (a rename, a signature change, a removal, an addition, then files and tests) in the repository's style, and the
/// body lists every change. Deterministic, so the same changes always read the same.
/// </summary>
internal static class FallbackMessage
{
    public static (string Subject, string Body) Write(IReadOnlyList<ApiChange> changes, IReadOnlyList<FileChange> files, CommitStyle style)
    {
        string summary = Summary(changes, files);
        string subject = Styled(summary, changes, files, style);
        // A test file added or deleted is said once, as a file.
        var filesListed = changes.Where(c => c.Kind is ApiChangeKind.FileAdded or ApiChangeKind.FileDeleted).Select(c => c.File).ToHashSet();
        var body = changes.Where(c => c.Kind != ApiChangeKind.TestsChanged || changes.Count > 1 && !filesListed.Contains(c.File))
            .Take(20).Select(Bullet).ToList();
        if (changes.Count > 20) body.Add($"- and {changes.Count - 20} more");
        if (body.Count == 0 && files.Count > 1) body.AddRange(files.Take(20).Select(f => $"- {Verb(f.Kind)} {f.Path}"));
        return (subject, string.Join("\n", body));
    }

    private static string Summary(IReadOnlyList<ApiChange> changes, IReadOnlyList<FileChange> files)
    {
        var renamed = changes.Where(c => c.Kind == ApiChangeKind.Renamed).ToArray();
        if (renamed.Length > 0) return $"Rename {Short(renamed[0].OldSymbol!)} to {Name(renamed[0].Symbol)}" + More(renamed.Length);
        var changedSignature = changes.Where(c => c.Kind == ApiChangeKind.SignatureChanged).ToArray();
        if (changedSignature.Length > 0) return $"Change the signature of {Short(changedSignature[0].Symbol)}" + More(changedSignature.Length);
        var removed = changes.Where(c => c.Kind == ApiChangeKind.Removed).ToArray();
        var added = changes.Where(c => c.Kind == ApiChangeKind.Added).ToArray();
        if (removed.Length > 0 && added.Length == 0) return $"Remove {Together(removed)}";
        if (added.Length > 0 && removed.Length == 0) return $"Add {Together(added)}";
        if (added.Length > 0) return $"Replace {Short(removed[0].Symbol)} with {Short(added[0].Symbol)}";
        var filesAdded = changes.Where(c => c.Kind == ApiChangeKind.FileAdded).ToArray();
        if (filesAdded.Length > 0) return $"Add {FileName(filesAdded[0].File)}" + More(filesAdded.Length);
        var filesDeleted = changes.Where(c => c.Kind == ApiChangeKind.FileDeleted).ToArray();
        if (filesDeleted.Length > 0) return $"Delete {FileName(filesDeleted[0].File)}" + More(filesDeleted.Length);
        var tests = changes.Where(c => c.Kind == ApiChangeKind.TestsChanged).ToArray();
        if (tests.Length > 0 && tests.Length == files.Count)
        {
            string tested = tests[0].Symbol.Split(", ")[0];
            tested = tested.EndsWith("Tests", StringComparison.Ordinal) && tested.Length > 5 ? tested[..^5] : tested;
            return $"Update the tests of {tested}" + More(tests.Length);
        }
        var renamedFiles = files.Where(f => f.Kind == FileChangeKind.Renamed).ToArray();
        if (renamedFiles.Length == files.Count && renamedFiles.Length > 0)
            return $"Move {FileName(renamedFiles[0].OldPath!)} to {renamedFiles[0].Path}" + More(renamedFiles.Length);
        if (files.Count == 0) return "Record the merge";
        if (files.Count == 1) return $"Update {FileName(files[0].Path)}";
        string folder = CommonFolder(files.Select(f => f.Path));
        return folder.Length > 0 ? $"Update {files.Count} files in {folder}" : $"Update {files.Count} files";
    }

    private static string More(int count) => count > 1 ? $" and {count - 1} more" : "";

    /// <summary>"Renew and Extend to LendingService" when all share a container, else the first and a count.</summary>
    private static string Together(ApiChange[] changes)
    {
        var containers = changes.Select(c => Container(c.Symbol)).Distinct().ToArray();
        if (changes.Length > 1 && changes.Length <= 3 && containers is [{ Length: > 0 } container])
        {
            return $"{string.Join(" and ", changes.Select(c => Name(c.Symbol)))} {(changes[0].Kind == ApiChangeKind.Added ? "to" : "from")} {container}";
        }
        return Short(changes[0].Symbol) + More(changes.Length);
    }

    /// <summary>"LendingService.Lend" from "LendingService.Lend(Member, BookCopy)".</summary>
    private static string Short(string symbol)
    {
        int parameters = symbol.IndexOf('(');
        return parameters > 0 ? symbol[..parameters] : symbol;
    }

    private static string Name(string symbol)
    {
        string shortSymbol = Short(symbol);
        int dot = LastDotOutsideGenerics(shortSymbol);
        return dot < 0 ? shortSymbol : shortSymbol[(dot + 1)..];
    }

    private static string Container(string symbol)
    {
        string shortSymbol = Short(symbol);
        int dot = LastDotOutsideGenerics(shortSymbol);
        return dot < 0 ? "" : shortSymbol[..dot];
    }

    private static int LastDotOutsideGenerics(string symbol)
    {
        int depth = 0;
        for (int i = symbol.Length - 1; i >= 0; i--)
        {
            if (symbol[i] == '>') depth++;
            else if (symbol[i] == '<') depth--;
            else if (symbol[i] == '.' && depth == 0) return i;
        }
        return -1;
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string CommonFolder(IEnumerable<string> paths)
    {
        var folders = paths.Select(p => p.Contains('/') ? p[..p.LastIndexOf('/')].Split('/') : []).ToArray();
        var common = folders[0].AsEnumerable();
        foreach (var folder in folders.Skip(1))
        {
            common = common.Zip(folder).TakeWhile(pair => pair.First == pair.Second).Select(pair => pair.First).ToArray();
        }
        return string.Join('/', common);
    }

    private static string Bullet(ApiChange change) => change.Kind switch
    {
        ApiChangeKind.Renamed => $"- Rename {change.OldSymbol} to {change.Symbol}",
        ApiChangeKind.SignatureChanged when change.OldSymbol is not null => $"- Change {change.OldSymbol} to {change.Symbol}",
        ApiChangeKind.SignatureChanged => $"- Change the signature of {change.Symbol}",
        ApiChangeKind.Added => $"- Add {change.Symbol}",
        ApiChangeKind.Removed => $"- Remove {change.Symbol}",
        ApiChangeKind.FileAdded => $"- Add {change.File}",
        ApiChangeKind.FileDeleted => $"- Delete {change.File}",
        _ => $"- Update the tests in {change.File}",
    };

    private static string Verb(FileChangeKind kind) => kind switch
    {
        FileChangeKind.Added => "Add",
        FileChangeKind.Deleted => "Delete",
        FileChangeKind.Renamed => "Move",
        _ => "Update",
    };

    /// <summary>The summary in the repository's form: a conventional type and scope, or an area prefix, case and period.</summary>
    private static string Styled(string summary, IReadOnlyList<ApiChange> changes, IReadOnlyList<FileChange> files, CommitStyle style)
    {
        string text = style.Capitalized ? summary : char.ToLowerInvariant(summary[0]) + summary[1..];
        if (style.TrailingPeriod) text += ".";
        if (style.Conventional)
        {
            string type = ConventionalType(changes, files, style);
            string? scope = style.Scopes.FirstOrDefault(s => files.All(f => f.Path.Contains(s, StringComparison.OrdinalIgnoreCase)));
            return scope is null ? $"{type}: {text}" : $"{type}({scope}): {text}";
        }
        string? area = style.Areas
            .Select(a => (Area: a, Hits: files.Count(f => f.Path.Contains(a, StringComparison.OrdinalIgnoreCase))))
            .Where(a => a.Hits * 2 > files.Count)
            .OrderByDescending(a => a.Hits).Select(a => a.Area).FirstOrDefault();
        return area is null ? text : $"{area}: {text}";
    }

    private static string ConventionalType(IReadOnlyList<ApiChange> changes, IReadOnlyList<FileChange> files, CommitStyle style)
    {
        string wanted =
            files.All(f => PathConventions.IsTest(f.Path)) ? "test"
            : files.All(f => f.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) ? "docs"
            : changes.Any(c => c.Kind is ApiChangeKind.Added or ApiChangeKind.FileAdded) ? "feat"
            : changes.Any(c => c.Kind is ApiChangeKind.Renamed or ApiChangeKind.Removed or ApiChangeKind.SignatureChanged) ? "refactor"
            : "chore";
        return style.Types.Count == 0 || style.Types.Contains(wanted) ? wanted : style.Types.Contains("chore") ? "chore" : style.Types[0];
    }
}
