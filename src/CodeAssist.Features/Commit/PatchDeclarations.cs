using System.Text.RegularExpressions;
using CodeAssist.Git;

namespace CodeAssist.Features.Commit;

/// <summary>
/// Public and protected declarations found on the <c>+</c>/<c>-</c> lines of a C# patch by text alone, independently of
/// Roslyn: the benchmark's reference for how much of a patch's API change the summary names. A line that is both
/// removed and added unchanged (moved or re-indented) declares nothing new. Being text, it also counts public members
/// of types that are not public, which the summary rightly leaves out.
/// </summary>
public static partial class PatchDeclarations
{
    [GeneratedRegex(@"^(?:\[[^\]]*\]\s*)*(?:public|protected)\b(?!\s+private)")]
    private static partial Regex VisiblePattern();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record|delegate\s+[\w<>\[\],.?\s]+?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"(?<name>[A-Za-z_]\w*)\s*(?:<[^()]*>)?\s*\(")]
    private static partial Regex MethodPattern();

    [GeneratedRegex(@"(?<name>[A-Za-z_]\w*)\s*(?:\{|=>|=|;|$)")]
    private static partial Regex MemberPattern();

    /// <summary>The names declared visibly on the changed lines of <paramref name="file"/> (a C# file's diff).</summary>
    public static IReadOnlyCollection<string> Find(DiffFile file)
    {
        var added = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in file.Hunks.SelectMany(h => h.Lines))
        {
            if (line.StartsWith('+')) added.Add(line[1..].Trim());
            else if (line.StartsWith('-')) removed.Add(line[1..].Trim());
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in added.Except(removed).Concat(removed.Except(added)))
        {
            if (Name(text) is { } name) names.Add(name);
        }
        return names;
    }

    private static string? Name(string line)
    {
        if (!VisiblePattern().IsMatch(line)) return null;
        if (TypePattern().Match(line) is { Success: true } type) return type.Groups["name"].Value;
        if (line.Contains(" operator ", StringComparison.Ordinal)) return null;
        int body = line.IndexOfAny(['{', '=']);
        string head = body < 0 ? line : line[..body];
        if (head.Contains('(') && MethodPattern().Match(head) is { Success: true } method) return Keyword(method.Groups["name"].Value);
        var member = MemberPattern().Match(head.TrimEnd() + (body < 0 ? "" : " ="));
        return member.Success ? Keyword(member.Groups["name"].Value) : null;
    }

    private static string? Keyword(string name) => name is "public" or "protected" or "internal" or "static" or "override" or "virtual"
        or "abstract" or "sealed" or "readonly" or "const" or "get" or "set" or "init" or "new" or "this" or "base" ? null : name;

    /// <summary>Whether some change's symbol (or old symbol) has <paramref name="name"/> as one of its identifiers.</summary>
    public static bool IsNamed(string name, IEnumerable<ApiChange> changes) =>
        changes.Any(c => Identifiers(c.Symbol).Contains(name) || c.OldSymbol is not null && Identifiers(c.OldSymbol).Contains(name));

    private static HashSet<string> Identifiers(string symbol) =>
        symbol.Split([' ', '.', ',', '(', ')', '<', '>', '[', ']'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
