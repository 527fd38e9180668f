namespace CodeAssist.Context;

/// <summary>
/// The rules of one .gitignore file, relative to the folder holding it. Last matching rule wins, a '!' rule
/// re-includes, as git does; a file under an ignored directory stays ignored because the walk never enters it.
/// </summary>
internal sealed class IgnoreRules
{
    private readonly string _baseDirectory;
    private readonly List<(Glob Glob, bool Negated, bool DirectoryOnly)> _rules = [];

    private IgnoreRules(string baseDirectory) => _baseDirectory = baseDirectory;

    public static IgnoreRules Parse(string baseDirectory, IEnumerable<string> lines)
    {
        var rules = new IgnoreRules(baseDirectory);
        foreach (string raw in lines)
        {
            string line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            bool negated = line.StartsWith('!');
            if (negated) line = line[1..];
            bool directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            // A slash anywhere but the end anchors the pattern to the .gitignore's folder.
            bool anchored = line.Contains('/');
            line = line.TrimStart('/');
            if (line.Length == 0) continue;
            rules._rules.Add((Glob.Create(line, anchored), negated, directoryOnly));
        }
        return rules;
    }

    /// <returns>true ignored, false re-included, null no rule matched.</returns>
    public bool? Match(string fullPath, bool isDirectory)
    {
        if (!fullPath.StartsWith(_baseDirectory, StringComparison.Ordinal)) return null;
        string relative = Path.GetRelativePath(_baseDirectory, fullPath).Replace('\\', '/');
        bool? result = null;
        foreach (var (glob, negated, directoryOnly) in _rules)
        {
            if (directoryOnly && !isDirectory) continue;
            if (glob.IsMatch(relative)) result = !negated;
        }
        return result;
    }
}
