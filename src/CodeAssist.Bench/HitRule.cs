using System.Text.RegularExpressions;

namespace CodeAssist.Bench;

/// <summary>
/// The README's HIT rule: a needed declaration is hit when an item from the same file (symlinks resolved), other
/// than the document, has a line range overlapping the declaration's lines and text naming the symbol as a whole word.
/// </summary>
public static class HitRule
{
    /// <summary>Which of the task's needed declarations the answer hits, in the task's order.</summary>
    public static IReadOnlyList<bool> Score(BenchTask task, string corpusDirectory, ContextAnswer answer)
    {
        string repository = task.RepositoryPath(corpusDirectory);
        string document = RealPath(task.DocumentPath(corpusDirectory));
        var items = answer.Items
            .Select(item => (Path: RealPath(ToPath(item.Location)), Item: item))
            .Where(i => i.Path != document)
            .ToArray();
        return task.Needed.Select(needed =>
        {
            var word = new Regex($"(?<![A-Za-z0-9_]){Regex.Escape(needed.SimpleName)}(?![A-Za-z0-9_])", RegexOptions.CultureInvariant);
            return needed.Locations.Any(location =>
            {
                string path = RealPath(Path.Combine(repository, location.File));
                return items.Any(i => i.Path == path && Overlaps(i.Item.Range, location) && word.IsMatch(i.Item.Text));
            });
        }).ToArray();
    }

    /// <summary>A range ending at character 0 of a later line stops at the line before.</summary>
    public static bool Overlaps(AnswerRange range, DeclarationLocation location)
    {
        int endLine = range.EndCharacter == 0 && range.EndLine > range.StartLine ? range.EndLine - 1 : range.EndLine;
        return range.StartLine <= location.EndLine && location.StartLine <= endLine;
    }

    public static string ToPath(string location) =>
        location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(location).LocalPath : location;

    private static string RealPath(string path)
    {
        path = Path.GetFullPath(path);
        try
        {
            // Resolve every component, so a link anywhere in the path compares equal to its target.
            string? parent = Path.GetDirectoryName(path);
            string resolvedParent = parent is null ? "" : RealPath(parent);
            string joined = parent is null ? path : Path.Combine(resolvedParent, Path.GetFileName(path));
            var info = new FileInfo(joined);
            return info.LinkTarget is null ? joined : Path.GetFullPath(info.ResolveLinkTarget(true)!.FullName);
        }
        catch (IOException)
        {
            return path;
        }
    }
}
